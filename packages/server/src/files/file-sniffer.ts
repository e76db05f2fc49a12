import path from 'node:path';
import type { FileMime } from '@enclave/protocol';
import type { FileSource } from './file-source';
import { zipEntryNames } from './zip-directory';

/**
 * What a file is, from its content only: the uploader's name and header can say anything. Known signatures first
 * (images, PDF, ZIP and the Office formats inside one, executables); otherwise a file that is valid UTF-8 from
 * start to end with no NUL byte is text, told apart as CSV or Markdown by its extension only then, since that
 * cannot turn it into something a browser would run. Everything else is `application/octet-stream`.
 */
export async function sniffFile(source: FileSource, fileName: string): Promise<FileMime> {
  const head = await source.read(0, 64);
  const signature = bySignature(head);
  if (signature === 'application/zip') return officeKind(await zipEntryNames(source)) ?? 'application/zip';
  if (signature) return signature;
  if (await isUtf8Text(source)) return textKind(fileName);
  return 'application/octet-stream';
}

const signatures: [FileMime, (head: Buffer) => boolean][] = [
  ['image/png', (head) => startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['image/jpeg', (head) => startsWith(head, [0xff, 0xd8, 0xff])],
  ['image/gif', (head) => head.toString('latin1', 0, 6) === 'GIF87a' || head.toString('latin1', 0, 6) === 'GIF89a'],
  ['image/webp', (head) => head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP'],
  ['application/pdf', (head) => head.toString('latin1', 0, 5) === '%PDF-'],
  // A local file header, or the end record of an empty archive.
  ['application/zip', (head) => startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])],
  ['application/x-executable', isExecutable],
];

function bySignature(head: Buffer): FileMime | undefined {
  return signatures.find(([, matches]) => matches(head))?.[0];
}

/**
 * ELF, PE (and DOS) and Mach-O, including universal binaries. "MZ" alone could start a line of text; an
 * executable's header always has zero bytes within its first 64, which text never has.
 */
function isExecutable(head: Buffer): boolean {
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) || (startsWith(head, [0x4d, 0x5a]) && head.includes(0))) return true;
  const machO = [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
  ];
  return machO.some((magic) => startsWith(head, magic));
}

/** Office Open XML keeps its parts under a folder named for the application. */
function officeKind(names: string[] | null): FileMime | undefined {
  if (!names?.includes('[Content_Types].xml')) return undefined;
  if (names.some((name) => name.startsWith('word/'))) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (names.some((name) => name.startsWith('xl/'))) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (names.some((name) => name.startsWith('ppt/'))) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  return undefined;
}

function textKind(fileName: string): FileMime {
  const extension = path.extname(fileName).toLowerCase();
  if (extension === '.csv') return 'text/csv';
  if (extension === '.md' || extension === '.markdown') return 'text/markdown';
  return 'text/plain';
}

async function isUtf8Text(source: FileSource): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of source.stream()) {
      if ((chunk as Buffer).includes(0)) return false;
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return true;
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
}

function startsWith(head: Buffer, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((byte, index) => head[index] === byte);
}
