import type { RoomSummary } from '@enclave/protocol';
import { usePeople } from '../people/people-context';
import { Avatar } from '../ui/avatar';
import { HashIcon, LockIcon, PeopleIcon } from '../ui/icons';

export function RoomIcon({ room }: { room: RoomSummary }) {
  const people = usePeople();
  if (room.kind === 'channel') return <HashIcon />;
  if (room.kind === 'group') return <LockIcon />;
  if (room.dmMemberIds.length > 1) return <PeopleIcon />;
  const peer = room.dmMemberIds[0] ?? room.dmPeerId;
  return <Avatar user={peer ? people.byId.get(peer) : undefined} size="small" />;
}
