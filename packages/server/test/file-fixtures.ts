// Small, real documents for upload and text-extraction tests: every file here is built by the same libraries a
// user's tools would produce them with, so a test exercises the real parsers rather than hand-written bytes.
import { crc32 } from 'node:zlib';
import { strToU8, zlibSync, zipSync, type Zippable } from 'fflate';
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
  /** Comments (word/comments.xml), one paragraph each; Word shows them in the margin, not in the text. */
  comments?: string[];
  /** Core document properties (docProps/core.xml) by element, such as `dc:title` or `cp:keywords`. */
  properties?: Record<string, string>;
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
  if (parts.comments) {
    const comments = parts.comments.map((comment, id) => `<w:comment w:id="${id}" w:author="A">${paragraphXml(comment)}</w:comment>`).join('');
    files['word/comments.xml'] = strToU8(`${XML_DECLARATION}<w:comments ${W_NAMESPACE}>${comments}</w:comments>`);
  }
  if (parts.properties) files['docProps/core.xml'] = strToU8(coreProperties(parts.properties));
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

function coreProperties(properties: Record<string, string>): string {
  const elements = Object.entries(properties).map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`);
  return (
    `${XML_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/">${elements.join('')}</cp:coreProperties>`
  );
}

/** The package parts every Office document has, for the given main part and content type. */
function officeEntries(mainPart: string, mainType: string, parts: Zippable): Zippable {
  return {
    '[Content_Types].xml': strToU8(
      `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        `<Default Extension="xml" ContentType="application/xml"/><Override PartName="/${mainPart}" ContentType="${mainType}"/></Types>`,
    ),
    '_rels/.rels': strToU8(
      `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${mainPart}"/>` +
        '</Relationships>',
    ),
    ...parts,
  };
}

const S_NAMESPACE = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

/**
 * A minimal XLSX: one sheet named `sheetName` whose rows of cells are shared strings (as Excel writes text), and a
 * last row holding `inline` as an inline string (as other tools write it) when given.
 */
export function makeXlsx(sheetName: string, rows: string[][], options: { inline?: string } = {}): Uint8Array {
  const strings = rows.flat();
  const cells = rows.map((row, r) => `<row r="${r + 1}">${row.map((_, c) => `<c t="s"><v>${strings.indexOf(row[c]!)}</v></c>`).join('')}</row>`);
  if (options.inline) cells.push(`<row><c t="inlineStr"><is><t>${escapeXml(options.inline)}</t></is></c></row>`);
  return zipSync(
    officeEntries('xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', {
      'xl/workbook.xml': strToU8(`${XML_DECLARATION}<workbook ${S_NAMESPACE}><sheets><sheet name="${escapeXml(sheetName)}" sheetId="1"/></sheets></workbook>`),
      'xl/sharedStrings.xml': strToU8(`${XML_DECLARATION}<sst ${S_NAMESPACE}>${strings.map((text) => `<si><t>${escapeXml(text)}</t></si>`).join('')}</sst>`),
      'xl/worksheets/sheet1.xml': strToU8(`${XML_DECLARATION}<worksheet ${S_NAMESPACE}><sheetData>${cells.join('')}</sheetData></worksheet>`),
    }),
  );
}

const P_NAMESPACES = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';

/** DrawingML paragraphs, each word its own run, as PowerPoint splits text wherever formatting or spelling changes. */
function drawingParagraphs(lines: string[]): string {
  return lines.map((line) => `<a:p>${[...line].map((char) => `<a:r><a:rPr lang="zh-CN"/><a:t>${escapeXml(char)}</a:t></a:r>`).join('')}</a:p>`).join('');
}

/** A minimal PPTX: one slide per entry of `slides` and, for the slides that have one, speaker notes. */
export function makePptx(slides: string[], notes: Array<string | undefined> = []): Uint8Array {
  const parts: Zippable = {
    'ppt/presentation.xml': strToU8(`${XML_DECLARATION}<p:presentation ${P_NAMESPACES}/>`),
  };
  const shape = (lines: string[]) => `<p:cSld><p:spTree><p:sp><p:txBody>${drawingParagraphs(lines)}</p:txBody></p:sp></p:spTree></p:cSld>`;
  slides.forEach((slide, index) => {
    parts[`ppt/slides/slide${index + 1}.xml`] = strToU8(`${XML_DECLARATION}<p:sld ${P_NAMESPACES}>${shape([slide])}</p:sld>`);
    const note = notes[index];
    if (note !== undefined) parts[`ppt/notesSlides/notesSlide${index + 1}.xml`] = strToU8(`${XML_DECLARATION}<p:notes ${P_NAMESPACES}>${shape([note])}</p:notes>`);
  });
  return zipSync(officeEntries('ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml', parts));
}

/** A ZIP archive of the given members; text members are stored as UTF-8. */
export function makeZip(members: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(members).map(([name, content]) => [name, typeof content === 'string' ? strToU8(content) : content])));
}

/** A PNG chunk: length, type, data and the CRC over type and data. */
function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(strToU8(type, true), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

/** An iTXt chunk's data, its text UTF-8 and, when asked, zlib-compressed, as image editors write captions. */
export function iTXt(keyword: string, text: string, options: { compressed?: boolean } = {}): Uint8Array {
  const body = options.compressed ? zlibSync(strToU8(text)) : strToU8(text);
  const header = strToU8(`${keyword}\0${options.compressed ? '\x01' : '\0'}\0zh\0\0`, true);
  return Buffer.concat([header, body]);
}

/** A copy of `png` with extra chunks (type and data) placed just before its end chunk, where any tool may add them. */
export function withPngChunks(png: Uint8Array, chunks: Array<[string, Uint8Array]>): Uint8Array {
  const end = png.length - 12;
  return Buffer.concat([png.subarray(0, end), ...chunks.map(([type, data]) => pngChunk(type, data)), png.subarray(end)]);
}

/** A copy of `jpeg` with a comment segment (COM) right after its start marker, as `wrjpgcom` would write it. */
export function withJpegComment(jpeg: Uint8Array, comment: string): Uint8Array {
  const text = strToU8(comment);
  const segment = new Uint8Array(4 + text.length);
  segment.set([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]);
  segment.set(text, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}
