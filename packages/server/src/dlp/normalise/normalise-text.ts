import { decodeHTMLStrict } from 'entities/decode';
import { readCharacter, readsAsItself } from './character-reading';
import { TextView } from './text-view';

/**
 * The text as every detector reads it (see character-reading.ts), with HTML and XML character references decoded
 * in place (`&#x673A;&#x5BC6;` reads as 机密, and a match there masks the references). A text with nothing to
 * change, as most messages are, is returned as it is without building a map.
 */
export function normaliseText(original: string): TextView {
  if (isPlain(original)) return TextView.of(original);
  const builder = new MappedTextBuilder();
  let position = 0;
  while (position < original.length) {
    const entityEnd = original.charCodeAt(position) === AMPERSAND ? decodedEntityEnd(original, position, builder) : -1;
    if (entityEnd !== -1) {
      position = entityEnd;
      continue;
    }
    const codePoint = original.codePointAt(position)!;
    const width = codePoint > 0xffff ? 2 : 1;
    const reading = readCharacter(codePoint);
    builder.append(reading ?? original.slice(position, position + width), position, position + width);
    position += width;
  }
  return builder.build();
}

const AMPERSAND = 0x26;
/** Numeric and named references; the terminating semicolon is required, so "R&D;" style prose is left alone. */
const ENTITY = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/y;

function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === AMPERSAND || !readsAsItself(code)) return false;
  }
  return true;
}

/** Appends the reading of the reference at `start`, if there is one that decodes, and returns where it ends. */
function decodedEntityEnd(original: string, start: number, builder: MappedTextBuilder): number {
  ENTITY.lastIndex = start;
  const match = ENTITY.exec(original);
  if (!match) return -1;
  const decoded = decodeHTMLStrict(match[0]);
  if (decoded === match[0]) return -1;
  const end = start + match[0].length;
  for (const character of decoded) builder.append(readCharacter(character.codePointAt(0)!) ?? character, start, end);
  return end;
}

/** Collects the normalised text code unit by code unit with where in the original each came from. */
class MappedTextBuilder {
  private codes: number[] = [];
  private starts: number[] = [];
  private ends: number[] = [];

  append(reading: string, start: number, end: number): void {
    for (let i = 0; i < reading.length; i += 1) {
      this.codes.push(reading.charCodeAt(i));
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  build(): TextView {
    return TextView.mapped(stringOfCodes(this.codes), Int32Array.from(this.starts), Int32Array.from(this.ends));
  }
}

/** Built in chunks: spreading a very long array into one call would overflow the stack. */
export function stringOfCodes(codes: readonly number[]): string {
  const CHUNK = 8192;
  let text = '';
  for (let i = 0; i < codes.length; i += CHUNK) text += String.fromCharCode(...codes.slice(i, i + CHUNK));
  return text;
}
