import { useTraceMark } from './use-trace-mark';
import { Watermark } from './watermark';

/**
 * The mark over a file viewer. The server alone decides whether a file is marked (its label in any room it is in,
 * and those rooms' settings), so every viewer asks, and shows nothing where the answer is no mark.
 */
export function FileWatermark({ fileId }: { fileId: string }) {
  const mark = useTraceMark('file-view', fileId, true);
  return mark ? <Watermark mark={mark} /> : null;
}
