import type { FileSource } from './file-source';

/** The central directory is read only up to this size: enough for tens of thousands of names. */
const MAX_DIRECTORY_BYTES = 4 * 1024 * 1024;
const END_RECORD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_RECORD = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** The end record is 22 bytes and may be followed by a comment of up to 65,535. */
const MAX_TAIL = 22 + 0xffff;

/**
 * The entry names in a ZIP file's central directory (the list a reader trusts, at the end of the file), reading
 * only the end of the file and the directory itself; null when there is no readable directory. Used to tell an
 * Office document from any other ZIP without unpacking it.
 */
export async function zipEntryNames(source: FileSource): Promise<string[] | null> {
  const { size } = source;
  const read = (position: number, length: number): Promise<Buffer> => source.read(position, length);
  const tailStart = Math.max(0, size - MAX_TAIL);
  const tail = await read(tailStart, size - tailStart);
  const end = lastIndexOfRecord(tail, END_RECORD);
  if (end < 0 || end + 22 > tail.length) return null;
  let directorySize = tail.readUInt32LE(end + 12);
  let directoryOffset = tail.readUInt32LE(end + 16);
  if (directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const located = await zip64Directory(tail, end, read);
    if (!located) return null;
    ({ directorySize, directoryOffset } = located);
  }
  if (directoryOffset + directorySize > size) return null;
  return entryNames(await read(directoryOffset, Math.min(directorySize, MAX_DIRECTORY_BYTES)));
}

/** Archives of more than 4 GB or 65,535 entries keep the directory's place in a ZIP64 record. */
async function zip64Directory(
  tail: Buffer,
  end: number,
  read: (position: number, length: number) => Promise<Buffer>,
): Promise<{ directorySize: number; directoryOffset: number } | null> {
  const locator = end - 20;
  if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR) return null;
  const record = await read(Number(tail.readBigUInt64LE(locator + 8)), 56);
  if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_END_RECORD) return null;
  return { directorySize: Number(record.readBigUInt64LE(40)), directoryOffset: Number(record.readBigUInt64LE(48)) };
}

function lastIndexOfRecord(buffer: Buffer, signature: number): number {
  for (let at = buffer.length - 22; at >= 0; at--) if (buffer.readUInt32LE(at) === signature) return at;
  return -1;
}

function entryNames(directory: Buffer): string[] {
  const names: string[] = [];
  let at = 0;
  while (at + 46 <= directory.length && directory.readUInt32LE(at) === DIRECTORY_ENTRY) {
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    names.push(directory.toString('utf8', at + 46, Math.min(directory.length, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
