import { useTraceMark } from './use-trace-mark';
import { Watermark } from './watermark';

/**
 * The mark over one marked message in a room whose view is not marked (its label is, the room's ceiling is not):
 * the viewer's code for that message.
 */
export function MessageWatermark({ messageId }: { messageId: string }) {
  const mark = useTraceMark('message-copy', messageId, true);
  return mark ? <Watermark mark={mark} /> : null;
}
