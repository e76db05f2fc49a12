import type { RoomSummary } from '@enclave/protocol';
import { usePeople } from '../people/people-context';
import { Avatar } from '../ui/avatar';
import { HashIcon, LockIcon } from '../ui/icons';

export function RoomIcon({ room }: { room: RoomSummary }) {
  const people = usePeople();
  if (room.kind === 'channel') return <HashIcon />;
  if (room.kind === 'group') return <LockIcon />;
  return <Avatar user={room.dmPeerId ? people.byId.get(room.dmPeerId) : undefined} size="small" />;
}
