import type { RoomSummary } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../people/people-context';

/** Channels and groups have names; a direct message is named after the other person. */
export function useRoomName(): (room: RoomSummary) => string {
  const { t } = useTranslation();
  const people = usePeople();
  return (room) => {
    if (room.kind !== 'dm') return room.name ?? '';
    const peer = room.dmPeerId ? people.byId.get(room.dmPeerId) : undefined;
    return peer?.displayName ?? t('common.someone');
  };
}
