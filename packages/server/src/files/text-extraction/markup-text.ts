import { decodeXmlEntities } from './docx-text';

export interface MarkupTextOptions {
  /**
   * Which attribute values are text too: `labels` the few that hold names people write (sheet and property names,
   * alternative text, titles), `all` every one but namespace declarations (XMP writes properties as attributes).
   */
  attributes?: 'labels' | 'all';
  /** A spreadsheet's cells of type `s` hold an index into the shared strings, not text: it is left out. */
  sharedStringCells?: boolean;
}

/**
 * The text of an XML part of a vocabulary not modelled element by element (spreadsheets, slides, comments,
 * document properties, OpenDocument, XMP): its character data with entities decoded, in document order.
 *
 * Words are never split: text runs (`t`, `r`, `span`, …) follow each other with nothing in between, because a
 * marking typed across two runs must read as one word. Lines end after paragraphs, cells and rows, and after any
 * other element that held text of its own (a property, a value), so that two values never run together either.
 *
 * The same one-pass scan as `wordprocessingText`: a tag pattern that cannot cross a `<`, so hostile XML costs
 * linear time. Stops once it has more than `maxChars`.
 */
export function markupText(xml: string, maxChars: number, options: MarkupTextOptions = {}): string {
  let text = '';
  let heldText = false;
  let inIndexCell = false;
  let dataStart = 0;
  const endLine = () => {
    if (text !== '' && !text.endsWith('\n')) text += '\n';
  };
  for (const match of xml.matchAll(/<!\[CDATA\[[\s\S]*?\]\]>|<[^<>]*>/g)) {
    const tag = match[0];
    const data = xml.slice(dataStart, match.index);
    dataStart = match.index + tag.length;
    if (!inIndexCell && data !== '') {
      text += decodeXmlEntities(data);
      heldText ||= data.trim() !== '';
    }
    if (tag.startsWith('<![CDATA[')) {
      text += tag.slice(9, -3);
      heldText = true;
      continue;
    }
    const parsed = /^<(\/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(tag);
    if (!parsed) continue;
    const [, slash, name] = parsed as unknown as [string, string, string];
    if (slash) {
      if (LINE_ENDS.has(name) || (heldText && !RUNS.has(name))) endLine();
      if (name === 'c') inIndexCell = false;
      heldText = false;
    } else {
      if (name === 'tab' && tag.endsWith('/>')) text += '\t';
      else if (name === 's' && tag.endsWith('/>')) text += ' ';
      else if (name === 'br' || name === 'line-break') text += '\n';
      if (options.sharedStringCells && name === 'c') inIndexCell = /\st="s"/.test(tag);
      const values = options.attributes ? attributeText(tag, options.attributes) : '';
      if (values !== '') {
        endLine();
        text += values;
      }
    }
    if (text.length > maxChars) return text;
  }
  if (!inIndexCell) text += decodeXmlEntities(xml.slice(dataStart));
  return text;
}

/** Elements that hold a piece of a line: no line break after them. */
const RUNS = new Set(['t', 'r', 'span', 'a', 'fld', 's']);
/** Elements after which a line always ends: paragraphs, headings, shared strings, cells and rows. */
const LINE_ENDS = new Set(['p', 'h', 'si', 'c', 'row', 'tr', 'tc']);
const LABEL_ATTRIBUTES = new Set(['name', 'descr', 'title']);

/** The wanted attribute values of a start tag, a line each. */
function attributeText(tag: string, which: 'labels' | 'all'): string {
  let text = '';
  for (const [, prefix, name, quoted] of tag.matchAll(/\s([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)\s*=\s*("[^"]*"|'[^']*')/g)) {
    if (prefix === 'xmlns:' || name === 'xmlns' || (which === 'labels' && !LABEL_ATTRIBUTES.has(name!))) continue;
    const value = decodeXmlEntities(quoted!.slice(1, -1));
    if (value.trim() !== '') text += `${value}\n`;
  }
  return text;
}
