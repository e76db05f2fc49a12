import { useTranslation } from 'react-i18next';

/** A room's name as the console prints it: direct messages have none, so they are called what they are. */
export function useRoomLabel(): (room: { name: string | null }) => string {
  const { t } = useTranslation();
  return (room) => room.name ?? t('adminRooms.kinds.dm');
}
