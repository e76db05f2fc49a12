import type { FileSource } from '../file-source';
import type { TextBudget } from './text-budget';

/**
 * Text files are read up to `maxBytes` and decoded as UTF-8 (upload already checked that they are). When the read
 * stops inside a multi-byte character, streaming decode holds those bytes back instead of turning them into U+FFFD.
 * Returns whether the whole file was read.
 */
export async function extractPlainText(source: FileSource, maxBytes: number, budget: TextBudget): Promise<boolean> {
  const { bytes, truncated } = await source.prefix(maxBytes);
  const text = new TextDecoder('utf-8').decode(bytes, { stream: truncated });
  return budget.append(text) && !truncated;
}
