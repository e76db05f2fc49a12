// Small, real documents for upload and text-extraction tests: every file here is built by the same libraries a
// user's tools would produce them with, so a test exercises the real parsers rather than hand-written bytes.
import { strToU8, zipSync, type Zippable } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * A PDF with `text` on its pages: `\f` (form feed) starts a new page and `\n` a new line.
 *
 * Limitation: the text is set in the standard Helvetica font, whose WinAnsi encoding covers Latin-1 and a few
 * punctuation marks only, so pdf-lib throws for Chinese or other scripts. Embedding a CJK font would need
 * @pdf-lib/fontkit and a font file, which the project does not ship; test non-Latin text with text files or DOCX.
 */
export async function makePdf(text: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const pageText of text.split('\f')) {
    const page = pdf.addPage([595, 842]);
    page.drawText(pageText, { x: 50, y: 780, size: 12, font, lineHeight: 16 });
  }
  return pdf.save();
}

export interface DocxParts {
  /** Paragraphs of a header part (word/header1.xml), referenced from the section properties. */
  header?: string[];
  /** Paragraphs of a footer part (word/footer1.xml). */
  footer?: string[];
}

/**
 * A minimal valid DOCX (WordprocessingML in a ZIP): one `<w:p>` per paragraph, `\t` as `<w:tab/>` and `\n` as
 * `<w:br/>` inside a paragraph, all text XML-escaped; only the parts a WordprocessingML package requires, plus the
 * header and footer parts when asked for.
 */
export function makeDocx(paragraphs: string[], parts: DocxParts = {}): Uint8Array {
  return zipSync(docxEntries(paragraphs.map(paragraphXml).join(''), parts));
}

/**
 * A DOCX whose word/document.xml really inflates to about `inflatedBytes` bytes of paragraphs ("a" repeated)
 * from a few hundred kilobytes: the classic decompression bomb, for checking that readers cap what they inflate.
 */
export function makeZipBomb(inflatedBytes: number): Uint8Array {
  const paragraph = '<w:p><w:r><w:t>a</w:t></w:r></w:p>';
  // Level 1 keeps building it fast and still compresses such repetition a few hundred to one.
  return zipSync(docxEntries(paragraph.repeat(Math.ceil(inflatedBytes / paragraph.length)), {}), { level: 1 });
}

/**
 * A copy of `zip` in which the entry `name` declares `size` uncompressed bytes, in its local header and in the
 * central directory, while its data stays as it was: the declaration readers use to size their output buffers.
 */
export function declareUncompressedSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  const wanted = new TextEncoder().encode(name);
  let patched = 0;
  for (let offset = 0; offset + 46 <= copy.length; offset += 1) {
    const signature = view.getUint32(offset, true);
    // Local file header: size at 22, name length at 26, name at 30. Central directory header: 24, 28, 46.
    const layout = signature === 0x04034b50 ? [22, 26, 30] : signature === 0x02014b50 ? [24, 28, 46] : undefined;
    if (!layout) continue;
    const [sizeAt, nameLengthAt, nameAt] = layout as [number, number, number];
    const nameBytes = copy.subarray(offset + nameAt, offset + nameAt + view.getUint16(offset + nameLengthAt, true));
    if (nameBytes.length === wanted.length && nameBytes.every((byte, i) => byte === wanted[i])) {
      view.setUint32(offset + sizeAt, size, true);
      patched += 1;
    }
  }
  if (patched !== 2) throw new Error(`expected a local and a central header for ${name}, patched ${patched}`);
  return copy;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const W_NAMESPACE = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

function override(partName: string, type: string): string {
  return `<Override PartName="${partName}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.${type}+xml"/>`;
}

function paragraphXml(paragraph: string): string {
  const runs = paragraph
    .split(/(\t|\n)/)
    .filter((piece) => piece !== '')
    .map((piece) => (piece === '\t' ? '<w:tab/>' : piece === '\n' ? '<w:br/>' : `<w:t xml:space="preserve">${escapeXml(piece)}</w:t>`));
  return `<w:p><w:r>${runs.join('')}</w:r></w:p>`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[char]};`);
}

function docxEntries(bodyXml: string, parts: DocxParts): Zippable {
  const files: Zippable = {};
  const overrides = [override('/word/document.xml', 'document.main')];
  const relationships: string[] = [];
  const references: string[] = [];
  for (const [kind, content] of [
    ['header', parts.header],
    ['footer', parts.footer],
  ] as const) {
    if (!content) continue;
    const tag = kind === 'header' ? 'hdr' : 'ftr';
    files[`word/${kind}1.xml`] = strToU8(`${XML_DECLARATION}<w:${tag} ${W_NAMESPACE}>${content.map(paragraphXml).join('')}</w:${tag}>`);
    overrides.push(override(`/word/${kind}1.xml`, kind));
    relationships.push(
      `<Relationship Id="r${kind}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${kind}" Target="${kind}1.xml"/>`,
    );
    references.push(`<w:${kind}Reference w:type="default" r:id="r${kind}"/>`);
  }
  files['[Content_Types].xml'] = strToU8(
    `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      `${overrides.join('')}</Types>`,
  );
  files['_rels/.rels'] = strToU8(
    `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
  );
  if (relationships.length > 0) {
    files['word/_rels/document.xml.rels'] = strToU8(
      `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationships.join('')}</Relationships>`,
    );
  }
  files['word/document.xml'] = strToU8(
    `${XML_DECLARATION}<w:document ${W_NAMESPACE} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
      `<w:body>${bodyXml}<w:sectPr>${references.join('')}</w:sectPr></w:body></w:document>`,
  );
  return files;
}

/**
 * A long PDF of `pages` pages, each with `linesPerPage` lines of ordinary words, numbered so that no two pages
 * read alike, and `marker` on the first page: the kind of report that gets shared as is and whose text runs into
 * the extraction limit. 3,000 pages come to about 3 MB.
 */
export async function makeLongPdf(pages: number, options: { linesPerPage?: number; marker?: string } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const linesPerPage = options.linesPerPage ?? 12;
  for (let pageNumber = 1; pageNumber <= pages; pageNumber++) {
    const lines = Array.from({ length: linesPerPage }, (_, line) => `page ${pageNumber} line ${line + 1}: the quarterly figures were reviewed and approved by finance`);
    if (pageNumber === 1 && options.marker) lines.unshift(options.marker);
    pdf.addPage([595, 842]).drawText(lines.join('\n'), { x: 40, y: 800, size: 10, font, lineHeight: 13 });
  }
  return pdf.save();
}
