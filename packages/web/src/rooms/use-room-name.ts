import type { RoomSummary } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../people/people-context';

/** Channels and groups have names; a direct message is named after the other person, a group DM after all of them. */
export function useRoomName(): (room: RoomSummary) => string {
  const { t, i18n } = useTranslation();
  const people = usePeople();
  return (room) => {
    if (room.kind !== 'dm') return room.name ?? '';
    const others = room.dmMemberIds.length > 0 ? room.dmMemberIds : room.dmPeerId ? [room.dmPeerId] : [];
    const names = others.map((id) => people.byId.get(id)?.displayName ?? t('common.someone'));
    if (names.length === 0) return t('common.someone');
    return new Intl.ListFormat(i18n.language, { style: 'long', type: 'conjunction' }).format(names.sort((a, b) => a.localeCompare(b)));
  };
}
