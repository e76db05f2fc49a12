import { Unzlib } from 'fflate';
import { exifText } from './exif-text';
import { markupText } from './markup-text';

/** What an image's metadata says, and whether all of it could be read. */
export interface ImageText {
  text: string;
  complete: boolean;
  /** Bytes inflated from compressed chunks, which count against a containing archive's bound too. */
  inflated: number;
}

/**
 * The text an image carries besides its pixels: PNG text chunks (tEXt, zTXt, iTXt, XMP) and EXIF; JPEG comments,
 * EXIF, XMP and IPTC; GIF comments, plain text and XMP; WebP EXIF and XMP. Text written there is invisible in a
 * viewer but travels with the file, so it is read like a document's. `maxInflatedBytes` bounds what compressed
 * chunks may inflate to, all together; past it, or with a structure cut short, the result is incomplete.
 */
export function imageText(bytes: Uint8Array, maxInflatedBytes: number, maxChars: number): ImageText | undefined {
  const reader = FORMATS.find(([matches]) => matches(bytes))?.[1];
  if (!reader) return undefined;
  const found = new Found(maxInflatedBytes, maxChars);
  const whole = reader(bytes, found);
  return { text: found.text, complete: whole && found.complete, inflated: maxInflatedBytes - found.inflateAllowance };
}

/** The collected text, and the inflation allowance the whole image shares. */
class Found {
  text = '';
  complete = true;

  constructor(
    public inflateAllowance: number,
    private readonly maxChars: number,
  ) {}

  add(line: string | undefined): void {
    if (line === undefined) this.complete = false;
    else if (line.trim() !== '') this.text += line.endsWith('\n') ? line : `${line}\n`;
    if (this.text.length > this.maxChars) this.complete = false;
  }

  exif(tiff: Uint8Array): void {
    this.add(exifText(tiff));
  }

  xmp(bytes: Uint8Array): void {
    this.add(markupText(utf8(bytes), this.maxChars, { attributes: 'all' }));
  }

  /**
   * Zlib data inflated into no more than what is left of the allowance; undefined past it or when corrupt. Fed in
   * small pieces so that a bomb stops within about a megabyte of the bound, and a small chunk costs a small buffer.
   */
  inflate(data: Uint8Array): Uint8Array | undefined {
    if (data.length === 0) return undefined;
    const pieces: Uint8Array[] = [];
    let size = 0;
    const stream = new Unzlib((piece) => {
      size += piece.length;
      if (size > this.inflateAllowance) throw new InflateBoundReached();
      pieces.push(piece);
    });
    try {
      for (let at = 0; at < data.length; at += INFLATE_STEP) stream.push(data.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= data.length);
    } catch {
      return undefined;
    }
    this.inflateAllowance -= size;
    return Buffer.concat(pieces);
  }

  get full(): boolean {
    return this.text.length > this.maxChars;
  }
}

/** Compressed bytes fed to the inflater at a time: at most about a megabyte of output each. */
const INFLATE_STEP = 1024;

class InflateBoundReached extends Error {}

type Reader = (bytes: Uint8Array, found: Found) => boolean;

const latin1 = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);
const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes);
const startsWith = (bytes: Uint8Array, prefix: readonly number[] | string, at = 0) =>
  typeof prefix === 'string' ? latin1(bytes.subarray(at, at + prefix.length)) === prefix : prefix.every((byte, index) => bytes[at + index] === byte);
const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** PNG: a chain of length-prefixed chunks; every text chunk is read, whatever its place. */
const png: Reader = (bytes, found) => {
  const data = view(bytes);
  let at = 8;
  while (at + 12 <= bytes.length && !found.full) {
    const length = data.getUint32(at);
    const type = latin1(bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (at + 12 + length > bytes.length) return false;
    if (type === 'IEND') return true;
    if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') found.add(pngText(type, body, found));
    else if (type === 'eXIf') found.exif(body);
    at += 12 + length;
  }
  return found.full ? false : at === bytes.length;
};

/** A text chunk as "keyword: text"; XMP (an iTXt chunk with its own keyword) as its properties. */
function pngText(type: string, body: Uint8Array, found: Found): string | undefined {
  const keywordEnd = body.indexOf(0);
  if (keywordEnd < 0) return type === 'tEXt' ? latin1(body) : undefined;
  const keyword = latin1(body.subarray(0, keywordEnd));
  if (type === 'tEXt') return `${keyword}: ${latin1(body.subarray(keywordEnd + 1))}`;
  if (type === 'zTXt') {
    const inflated = found.inflate(body.subarray(keywordEnd + 2));
    return inflated && `${keyword}: ${latin1(inflated)}`;
  }
  const compressed = body[keywordEnd + 1] === 1;
  const languageEnd = body.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : body.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return undefined;
  const translated = utf8(body.subarray(languageEnd + 1, translatedEnd));
  const raw = body.subarray(translatedEnd + 1);
  const content = compressed ? found.inflate(raw) : raw;
  if (!content) return undefined;
  if (keyword === 'XML:com.adobe.xmp') return markupText(utf8(content), Number.MAX_SAFE_INTEGER, { attributes: 'all' });
  return `${keyword}${translated ? ` (${translated})` : ''}: ${utf8(content)}`;
}

const EXIF_HEADER = 'Exif\0\0';
const XMP_HEADER = 'http://ns.adobe.com/xap/1.0/\0';
const XMP_EXTENSION_HEADER = 'http://ns.adobe.com/xmp/extension/\0';

/**
 * JPEG: marker segments up to the first scan, then the scan data is searched for the next marker, since comments
 * and application segments may follow a scan too. Extended XMP is split over segments and joined before reading.
 */
const jpeg: Reader = (bytes, found) => {
  const data = view(bytes);
  const extendedXmp: Uint8Array[] = [];
  let at = 2;
  while (at + 4 <= bytes.length && !found.full) {
    if (bytes[at] !== 0xff) return false;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd9) break;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    const length = data.getUint16(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return false;
    const body = bytes.subarray(at + 4, at + 2 + length);
    if (marker === 0xfe) found.add(utf8(body));
    else if (marker === 0xe1 && startsWith(body, EXIF_HEADER)) found.exif(body.subarray(EXIF_HEADER.length));
    else if (marker === 0xe1 && startsWith(body, XMP_HEADER)) found.xmp(body.subarray(XMP_HEADER.length));
    // The extension's header: a 32-character GUID, the full length and this piece's offset.
    else if (marker === 0xe1 && startsWith(body, XMP_EXTENSION_HEADER)) extendedXmp.push(body.subarray(XMP_EXTENSION_HEADER.length + 40));
    else if (marker === 0xed) found.add(iptcText(body));
    at += 2 + length;
    if (marker === 0xda) at = nextMarker(bytes, at);
  }
  if (extendedXmp.length > 0) found.xmp(Buffer.concat(extendedXmp));
  return !found.full;
};

/** Past entropy-coded data: the next 0xFF that is neither a stuffed zero nor a restart marker. */
function nextMarker(bytes: Uint8Array, from: number): number {
  for (let at = from; at + 1 < bytes.length; at++) {
    if (bytes[at] !== 0xff) continue;
    const next = bytes[at + 1]!;
    if (next !== 0 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return at;
  }
  return bytes.length;
}

/** IPTC records inside a Photoshop segment: the caption, headline, keywords and every other text of record 2. */
function iptcText(body: Uint8Array): string {
  const lines: string[] = [];
  for (let at = body.indexOf(0x1c); at >= 0 && at + 5 <= body.length; ) {
    if (body[at] !== 0x1c) break;
    const length = (body[at + 3]! << 8) | body[at + 4]!;
    // Record 2, dataset 0 is the record's version, a binary number.
    if (body[at + 1] === 2 && body[at + 2] !== 0) lines.push(utf8(body.subarray(at + 5, at + 5 + length)));
    at += 5 + length;
  }
  return lines.join('\n');
}

/** GIF: extension blocks between images; comments, plain text and an XMP application block are text. */
const gif: Reader = (bytes, found) => {
  let at = 13;
  if (bytes[10]! & 0x80) at += 3 * 2 ** ((bytes[10]! & 7) + 1);
  while (at < bytes.length && !found.full) {
    const block = bytes[at];
    if (block === 0x3b) return true;
    if (block === 0x2c) {
      if (at + 10 > bytes.length) return false;
      const flags = bytes[at + 9]!;
      at += 10 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0) + 1;
      const skipped = subBlocks(bytes, at);
      if (!skipped) return false;
      at = skipped.end;
      continue;
    }
    if (block !== 0x21 || at + 2 > bytes.length) return false;
    const label = bytes[at + 1];
    const blocks = subBlocks(bytes, at + 2);
    if (!blocks) return false;
    if (label === 0xfe) found.add(latin1(Buffer.concat(blocks.pieces)));
    else if (label === 0x01) found.add(latin1(Buffer.concat(blocks.pieces.slice(1))));
    else if (label === 0xff && blocks.pieces[0] && startsWith(blocks.pieces[0], 'XMP DataXMP')) {
      // XMP is stored with its length bytes in place, so it is the raw bytes from after the header to the end.
      found.xmp(bytes.subarray(at + 2 + 12, blocks.end));
    }
    at = blocks.end;
  }
  return false;
};

/** A run of GIF sub-blocks: each a length byte and that many bytes, ending with a zero length. */
function subBlocks(bytes: Uint8Array, from: number): { pieces: Uint8Array[]; end: number } | undefined {
  const pieces: Uint8Array[] = [];
  let at = from;
  while (at < bytes.length) {
    const length = bytes[at]!;
    if (length === 0) return { pieces, end: at + 1 };
    if (at + 1 + length > bytes.length) return undefined;
    pieces.push(bytes.subarray(at + 1, at + 1 + length));
    at += 1 + length;
  }
  return undefined;
}

/** WebP: RIFF chunks; EXIF and XMP have their own. */
const webp: Reader = (bytes, found) => {
  const data = view(bytes);
  let at = 12;
  while (at + 8 <= bytes.length && !found.full) {
    const type = latin1(bytes.subarray(at, at + 4));
    const length = data.getUint32(at + 4, true);
    if (at + 8 + length > bytes.length) return false;
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'EXIF') found.exif(startsWith(body, EXIF_HEADER) ? body.subarray(EXIF_HEADER.length) : body);
    else if (type === 'XMP ') found.xmp(body);
    at += 8 + length + (length % 2);
  }
  return !found.full && at >= bytes.length;
};

const FORMATS: [(bytes: Uint8Array) => boolean, Reader][] = [
  [(bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), png],
  [(bytes) => startsWith(bytes, [0xff, 0xd8, 0xff]), jpeg],
  [(bytes) => startsWith(bytes, 'GIF87a') || startsWith(bytes, 'GIF89a'), gif],
  [(bytes) => startsWith(bytes, 'RIFF') && startsWith(bytes, 'WEBP', 8), webp],
];
