import { encodeInvisibleTraceCode } from '@enclave/protocol';
import { stampLine, type StampText } from './stamp-text';

/**
 * A text file's copy for one viewer (plain text, CSV, Markdown): a first line that says whose copy it is, with the
 * code, and the code again, invisibly, at the end of every line. Cutting the first line off leaves a code on every
 * line that remains; retyping or a cleaner that strips zero-width characters removes those (the admin guide says
 * so). A text that is not UTF-8 cannot be marked without being changed, and is refused (answered as undefined).
 */
export function stampText(bytes: Uint8Array, text: StampText): Uint8Array | undefined {
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
  const invisible = encodeInvisibleTraceCode(text.code.replace(/-/g, ''));
  const newline = content.includes('\r\n') ? '\r\n' : '\n';
  const marked = content
    .split(/\r?\n/)
    .map((line) => (line.length > 0 ? line + invisible : line))
    .join(newline);
  return new TextEncoder().encode(`${stampLine(text)}${newline}${marked}`);
}
