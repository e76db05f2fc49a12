import type { ForwardProvenance } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-context';
import { LabelChip } from '../labels/label-chip';
import { usePeople } from '../people/people-context';
import { useRoomName } from '../rooms/use-room-name';
import { useFormatTime } from '../ui/use-format-time';
import { GuestBadge } from './guest-badge';

/**
 * Where a forwarded message came from. The original room is named only if it is one of mine; the server sends
 * its id, never its name, so a forward cannot reveal a room its reader is not in.
 */
export function ForwardedFrom({ provenance }: { provenance: ForwardProvenance }) {
  const { t } = useTranslation();
  const people = usePeople();
  const { state } = useChat();
  const roomName = useRoomName();
  const format = useFormatTime();
  const author = people.byId.get(provenance.senderId);
  const room = state.rooms?.find((r) => r.id === provenance.roomId);
  const text = t('forward.from', {
    author: author?.displayName ?? t('common.someone'),
    room: room ? roomName(room) : t('forward.anotherConversation'),
    time: `${format.day(provenance.createdAt)} ${format.time(provenance.createdAt)}`,
  });
  return (
    <div className="forwarded-from">
      <span aria-hidden="true">↪</span>
      <span>{text}</span>
      <GuestBadge user={author} />
      <LabelChip labelId={provenance.label} />
    </div>
  );
}
