/**
 * The text fields of an EXIF block (a TIFF structure): every ASCII value of the main image's, the EXIF and the
 * thumbnail's directories (descriptions, artist, copyright, and any a tool invents), the user comment, and the
 * Windows XP title, comment, author, keywords and subject. Returns undefined when the block's structure points
 * outside itself: it cannot be read, so it must not pass as holding no text.
 */
export function exifText(tiff: Uint8Array): string | undefined {
  if (tiff.length < 8) return undefined;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const order = String.fromCharCode(tiff[0]!, tiff[1]!);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  if (u16(2) !== 42) return undefined;
  const lines: string[] = [];
  const pending = [u32(4)];
  const visited = new Set<number>();
  while (pending.length > 0) {
    const directory = pending.shift()!;
    if (directory === 0 || visited.has(directory)) continue;
    // Loops and long chains are how a crafted block would make a reader spin; three directories are all we read.
    if (visited.size === MAX_DIRECTORIES || directory + 2 > tiff.length) return undefined;
    visited.add(directory);
    const count = u16(directory);
    if (directory + 2 + count * 12 + 4 > tiff.length) return undefined;
    for (let index = 0; index < count; index++) {
      const entry = directory + 2 + index * 12;
      const tag = u16(entry);
      const type = u16(entry + 2);
      const length = u32(entry + 4) * (TYPE_SIZES[type] ?? 0);
      if (tag === EXIF_DIRECTORY) {
        pending.push(u32(entry + 8));
        continue;
      }
      if (!(type === ASCII || tag === USER_COMMENT || XP_TAGS.has(tag)) || length === 0) continue;
      const start = length <= 4 ? entry + 8 : u32(entry + 8);
      if (start + length > tiff.length) return undefined;
      const value = tiff.subarray(start, start + length);
      const text = type === ASCII ? asciiValue(value) : tag === USER_COMMENT ? userComment(value) : new TextDecoder('utf-16le').decode(value);
      lines.push(text.replace(/\0+$/, ''));
    }
    if (visited.size === 1) pending.push(u32(directory + 2 + count * 12));
  }
  return lines.filter((line) => line.trim() !== '').map((line) => `${line}\n`).join('');
}

const ASCII = 2;
const EXIF_DIRECTORY = 0x8769;
const USER_COMMENT = 0x9286;
/** XPTitle, XPComment, XPAuthor, XPKeywords, XPSubject: UCS-2 text that Windows Explorer writes. */
const XP_TAGS = new Set([0x9c9b, 0x9c9c, 0x9c9d, 0x9c9e, 0x9c9f]);
const MAX_DIRECTORIES = 3;
/** Bytes per value of each TIFF field type; unknown types count as no bytes. */
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

/** "ASCII" fields are often UTF-8 in practice (Chinese cameras and tools write it): read as such when valid. */
function asciiValue(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/** A user comment starts with eight bytes naming its character set. */
function userComment(bytes: Uint8Array): string {
  const charset = new TextDecoder('latin1').decode(bytes.subarray(0, 8)).replace(/\0+$/, '');
  const body = bytes.subarray(8);
  if (charset === 'UNICODE') {
    // Big-endian unless the writer says otherwise; most write it in the file's byte order, which a BOM may tell.
    const bigEndian = !(body[0] === 0xff && body[1] === 0xfe) && (body[0] === 0 || body[0] === 0xfe);
    return new TextDecoder(bigEndian ? 'utf-16be' : 'utf-16le').decode(body);
  }
  return asciiValue(body);
}
