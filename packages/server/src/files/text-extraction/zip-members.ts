import { crc32 } from 'node:zlib';
import { inflateSync } from 'fflate';

/** One entry of a ZIP's central directory: what a reader is told about a member before inflating it. */
export interface ZipMember {
  name: string;
  /** Declared uncompressed size: the buffer a member is inflated into, so it can never grow past this. */
  size: number;
  compressedSize: number;
  /** Encrypted members (general purpose flag bit 0) cannot be read without their password. */
  encrypted: boolean;
  /** 0 stored, 8 deflated; anything else is a method we do not read. */
  method: number;
  crc: number;
  localHeaderOffset: number;
}

const END_RECORD = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/**
 * The members listed in a ZIP's central directory, or undefined when there is no readable directory (a truncated
 * or corrupt archive, or a ZIP64 one, which no upload small enough to be read here needs). At most `maxMembers`
 * are listed; `more` says whether the directory held more.
 */
export function zipMembers(data: Uint8Array, maxMembers: number): { members: ZipMember[]; more: boolean } | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let end = -1;
  // The end record is 22 bytes and may be followed by a comment of up to 65,535.
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === END_RECORD) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = view.getUint16(end + 10, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff || directoryOffset > end) return undefined;
  const decoder = new TextDecoder('utf-8');
  const members: ZipMember[] = [];
  let at = directoryOffset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > end || view.getUint32(at, true) !== DIRECTORY_ENTRY) return undefined;
    if (members.length === maxMembers) return { members, more: true };
    const nameLength = view.getUint16(at + 28, true);
    members.push({
      name: decoder.decode(data.subarray(at + 46, at + 46 + nameLength)),
      encrypted: (view.getUint16(at + 8, true) & 1) === 1,
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { members, more: false };
}

/**
 * A member's bytes, and whether they are all of it: they are not when the inflated bytes fail the declared size or
 * checksum (a member that declares less than it holds is inflated into a buffer of the declared size, so it cannot
 * grow memory, and what fits is kept). Undefined when nothing can be read: encrypted, an unknown compression
 * method, data outside the archive, corrupt compressed data.
 */
export function readZipMember(data: Uint8Array, member: ZipMember): { bytes: Uint8Array; whole: boolean } | undefined {
  if (member.encrypted || (member.method !== 0 && member.method !== 8)) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const header = member.localHeaderOffset;
  if (header + 30 > data.length || view.getUint32(header, true) !== LOCAL_HEADER) return undefined;
  const start = header + 30 + view.getUint16(header + 26, true) + view.getUint16(header + 28, true);
  if (start + member.compressedSize > data.length) return undefined;
  const stored = data.subarray(start, start + member.compressedSize);
  let bytes: Uint8Array;
  try {
    bytes = member.method === 0 ? stored : inflateSync(stored, { out: new Uint8Array(member.size) });
  } catch {
    return undefined;
  }
  return { bytes, whole: bytes.length === member.size && crc32(bytes) === member.crc };
}
