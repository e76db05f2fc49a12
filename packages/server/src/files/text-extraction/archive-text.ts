import { wordprocessingText } from './docx-text';
import { imageText } from './image-text';
import type { TextExtractionLimits } from './limits';
import { markupText, type MarkupTextOptions } from './markup-text';
import type { TextBudget } from './text-budget';
import { readZipMember, zipMembers, type ZipMember } from './zip-members';

/** What a ZIP-based file is: an Office document, or any other archive (OpenDocument files included). */
export type ArchiveKind = 'docx' | 'xlsx' | 'pptx' | 'zip';

/**
 * The text of a ZIP-based file. An Office document gives the parts that hold its text, in reading order: the body
 * (or sheets, or slides), then notes, comments and headers, then the document properties, then what it embeds. Any
 * other archive gives each member's name and the text of each member that is itself readable: text and XML files
 * (so OpenDocument's content and properties), images' metadata, PDFs, and archives and Office documents inside it,
 * to `maxArchiveDepth` levels.
 *
 * Returns whether everything was read. Every bound makes the answer incomplete rather than the text merely
 * shorter: more members than `maxArchiveMembers`, more declared uncompressed bytes than `maxInflatedBytes` (all
 * levels together, checked before anything is inflated), an archive nested too deep, an encrypted or damaged
 * member, a member of a compression method we cannot read. An archive is "complete with no text" only when it
 * was read to the end and nothing in it holds text.
 */
export async function extractArchiveText(data: Uint8Array, kind: ArchiveKind, limits: TextExtractionLimits, budget: TextBudget): Promise<boolean> {
  return new ArchiveReader(limits, budget).read(data, kind, 0);
}

/** A member's place in the reading order, and how its bytes become text. */
interface Part {
  rank: number;
  read: 'wordprocessing' | 'markup' | 'sheet' | 'member';
}

class ArchiveReader {
  /** What is left of the bounds the whole archive shares, nested archives included. */
  private inflateAllowance: number;
  private membersLeft: number;

  constructor(
    private readonly limits: TextExtractionLimits,
    private readonly budget: TextBudget,
  ) {
    this.inflateAllowance = limits.maxInflatedBytes;
    this.membersLeft = limits.maxArchiveMembers;
  }

  async read(data: Uint8Array, kind: ArchiveKind, depth: number): Promise<boolean> {
    const listed = zipMembers(data, this.membersLeft);
    if (!listed) return false;
    this.membersLeft -= listed.members.length;
    let whole = !listed.more;
    const wanted: Array<[ZipMember, Part]> = [];
    for (const member of listed.members) {
      const part = partOf(kind, member.name);
      if (kind === 'zip' && !this.budget.append(`${member.name}\n`)) return false;
      if (!part || member.name.endsWith('/')) continue;
      // Declared sizes are what a member is inflated into, so they are counted before anything is inflated.
      if (member.size > this.inflateAllowance) {
        whole = false;
        continue;
      }
      this.inflateAllowance -= member.size;
      wanted.push([member, part]);
    }
    wanted.sort(([a, partA], [b, partB]) => partA.rank - partB.rank || a.name.localeCompare(b.name, 'en', { numeric: true }));
    for (const [member, part] of wanted) {
      const content = readZipMember(data, member);
      if (!content) {
        whole = false;
        continue;
      }
      // A member cut short still gives the text it holds up to the cut, as the document worker's parts always have.
      const read = part.read === 'member' ? await this.member(content.bytes, depth) : this.budget.append(partText(content.bytes, part, this.budget.remaining));
      if (this.budget.exhausted) return false;
      whole &&= read && content.whole;
    }
    return whole;
  }

  /** A member of an archive, or a file an Office document embeds: read by what its content is, not its name. */
  private async member(bytes: Uint8Array, depth: number): Promise<boolean> {
    if (startsWith(bytes, 'PK\x03\x04') || startsWith(bytes, 'PK\x05\x06')) {
      if (depth + 1 > this.limits.maxArchiveDepth) return false;
      const names = zipMembers(bytes, this.membersLeft)?.members.map((member) => member.name) ?? [];
      return this.read(bytes, packageKind(names), depth + 1);
    }
    if (startsWith(bytes, '%PDF-')) return (await import('./pdf-text')).extractPdfText(bytes, this.limits, this.budget).catch(() => false);
    const image = imageText(bytes, this.inflateAllowance, this.budget.remaining);
    if (image) {
      this.inflateAllowance -= image.inflated;
      return this.budget.append(image.text) && image.complete;
    }
    const text = utf8Text(bytes);
    // Anything else is a binary format we do not read, which at the top level counts as holding no text too.
    if (text === undefined) return true;
    const looksLikeXml = /^\s*</.test(text);
    return this.budget.append(`${looksLikeXml ? markupText(text, this.budget.remaining, { attributes: 'labels' }) : text}\n`);
  }
}

/** The Office flavour of an archive from its part names, as the upload sniffer tells them apart. */
function packageKind(names: string[]): ArchiveKind {
  if (!names.includes('[Content_Types].xml')) return 'zip';
  if (names.some((name) => name.startsWith('word/'))) return 'docx';
  if (names.some((name) => name.startsWith('xl/'))) return 'xlsx';
  if (names.some((name) => name.startsWith('ppt/'))) return 'pptx';
  return 'zip';
}

/**
 * Which members hold text, and in what order they are read. Parts not listed hold layout, styles, themes and
 * relationships: no text anyone wrote.
 */
function partOf(kind: ArchiveKind, name: string): Part | undefined {
  if (kind === 'zip') return { rank: 0, read: 'member' };
  const folder = { docx: 'word', xlsx: 'xl', pptx: 'ppt' }[kind];
  for (const [pattern, part] of OFFICE_PARTS[kind]) if (pattern.test(name)) return part;
  if (/^docProps\/(?:core|app|custom)\.xml$/.test(name)) return { rank: 5, read: 'markup' };
  if (new RegExp(`^${folder}/(?:charts|diagrams|drawings)/[^/]+\\.xml$`).test(name)) return { rank: 6, read: 'markup' };
  // Data bound to content controls, and Word's building blocks: text a document can show that its body lacks.
  if (/^customXml\/item\d+\.xml$/.test(name)) return { rank: 6, read: 'markup' };
  if (name === 'word/glossary/document.xml') return { rank: 6, read: 'wordprocessing' };
  if (new RegExp(`^${folder}/(?:embeddings|media)/`).test(name)) return { rank: 7, read: 'member' };
  return undefined;
}

const OFFICE_PARTS: Record<Exclude<ArchiveKind, 'zip'>, Array<[RegExp, Part]>> = {
  docx: [
    [/^word\/document\.xml$/, { rank: 0, read: 'wordprocessing' }],
    [/^word\/(?:footnotes|endnotes)\.xml$/, { rank: 1, read: 'wordprocessing' }],
    [/^word\/header\d*\.xml$/, { rank: 2, read: 'wordprocessing' }],
    [/^word\/footer\d*\.xml$/, { rank: 3, read: 'wordprocessing' }],
    [/^word\/comments\.xml$/, { rank: 4, read: 'wordprocessing' }],
  ],
  xlsx: [
    [/^xl\/workbook\.xml$/, { rank: 0, read: 'markup' }],
    [/^xl\/sharedStrings\.xml$/, { rank: 1, read: 'markup' }],
    [/^xl\/worksheets\/sheet\d+\.xml$/, { rank: 2, read: 'sheet' }],
    [/^xl\/(?:comments\d*\.xml|threadedComments\/[^/]+\.xml)$/, { rank: 3, read: 'markup' }],
  ],
  pptx: [
    [/^ppt\/slides\/slide\d+\.xml$/, { rank: 0, read: 'markup' }],
    [/^ppt\/notesSlides\/notesSlide\d+\.xml$/, { rank: 1, read: 'markup' }],
    [/^ppt\/comments\/[^/]+\.xml$/, { rank: 2, read: 'markup' }],
    [/^ppt\/(?:slideMasters|slideLayouts)\/[^/]+\.xml$/, { rank: 4, read: 'markup' }],
  ],
};

function partText(bytes: Uint8Array, part: Part, maxChars: number): string {
  const xml = new TextDecoder('utf-8').decode(bytes);
  if (part.read === 'wordprocessing') return wordprocessingText(xml, maxChars);
  const options: MarkupTextOptions = { attributes: 'labels', sharedStringCells: part.read === 'sheet' };
  return markupText(xml, maxChars, options);
}

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  return bytes.length >= prefix.length && [...prefix].every((char, index) => bytes[index] === char.charCodeAt(0));
}

/** The member as text when it is UTF-8 without NUL bytes, as the upload sniffer tells text from binary. */
function utf8Text(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
