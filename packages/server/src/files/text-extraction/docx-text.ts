import { unzipSync } from 'fflate';
import type { TextExtractionLimits } from './limits';
import type { TextBudget } from './text-budget';

/**
 * The text of a DOCX: the main document, then footnotes and endnotes, then headers and footers, so that the body
 * comes first when the character limit cuts. Returns whether every part was read whole.
 *
 * Zip bombs: fflate inflates each entry into a buffer of the size the archive declares, so the declared sizes are
 * checked against `maxDocxInflatedBytes` before anything is inflated, and a part that does not fit is skipped. An
 * entry that declares less than it holds cannot grow that buffer: its excess is dropped (the time limit bounds the
 * work spent decoding it), and the part, cut off before its closing root tag, counts as incomplete.
 */
export function extractDocxText(data: Uint8Array, limits: TextExtractionLimits, budget: TextBudget): boolean {
  let declaredTotal = 0;
  let skipped = false;
  const parts = unzipSync(data, {
    filter: (file) => {
      if (partRank(file.name) === undefined) return false;
      // fflate knows stored (0) and deflated (8) entries and throws for any other method, losing the other parts.
      const fits = (file.compression === 0 || file.compression === 8) && file.originalSize <= limits.maxDocxInflatedBytes - declaredTotal;
      if (fits) declaredTotal += file.originalSize;
      else skipped = true;
      return fits;
    },
  });
  const ordered = Object.entries(parts).sort(([a], [b]) => (partRank(a) ?? 0) - (partRank(b) ?? 0) || a.localeCompare(b, 'en', { numeric: true }));
  const decoder = new TextDecoder('utf-8');
  let whole = !skipped;
  for (const [, bytes] of ordered) {
    const xml = decoder.decode(bytes);
    whole &&= PART_END.test(xml.slice(-PART_END_WINDOW));
    // Every part ends with a paragraph, hence a line break, so the parts need no separator of their own.
    if (!budget.append(wordprocessingText(xml, budget.remaining))) return false;
  }
  return whole;
}

/**
 * The text of a WordprocessingML part: `<w:t>` contents with entities decoded, `<w:tab/>` as a tab, `<w:br/>` and
 * `<w:cr/>` as a line break, and a line break after each paragraph. Stops once it has more than `maxChars`.
 *
 * One pass over the tags with a pattern that cannot cross a `<`, so each character is looked at a bounded number
 * of times whatever the input: no backtracking blow-up on hostile XML. Tab and break elements count only inside a
 * run (`<w:r>`), because paragraph properties also contain `<w:tab>` elements that define tab stops.
 */
export function wordprocessingText(xml: string, maxChars: number): string {
  let text = '';
  let inRun = false;
  let inText = false;
  let textStart = 0;
  for (const match of xml.matchAll(/<[^<>]*>/g)) {
    const tag = match[0];
    if (inText) text += decodeXmlEntities(xml.slice(textStart, match.index));
    textStart = match.index + tag.length;
    const name = /^<(\/?)w:([A-Za-z]+)/.exec(tag);
    if (!name) continue;
    const closing = name[1] === '/';
    const selfClosing = tag.endsWith('/>');
    switch (name[2]) {
      case 'r':
        inRun = !closing && !selfClosing;
        break;
      case 't':
        inText = !closing && !selfClosing;
        break;
      case 'tab':
        if (inRun && !closing) text += '\t';
        break;
      case 'br':
      case 'cr':
        if (inRun && !closing) text += '\n';
        break;
      case 'p':
        if (closing || selfClosing) text += '\n';
        break;
    }
    if (text.length > maxChars) return text;
  }
  // A part cut off inside a text element (see extractDocxText) still gives the text it holds up to the cut.
  if (inText) text += decodeXmlEntities(xml.slice(textStart));
  return text;
}

/** The five predefined XML entities and numeric character references; anything else stays as written. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g, (entity, hex?: string, decimal?: string, named?: string) => {
    if (named) return NAMED_ENTITIES[named] ?? entity;
    const code = hex ? Number.parseInt(hex, 16) : Number(decimal);
    // Surrogates and values past U+10FFFF are not characters; XML forbids referring to them.
    return code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0 ? '\uFFFD' : String.fromCodePoint(code);
  });
}

/** A part that does not end with its root element's closing tag was cut short or is corrupt. */
const PART_END = /<\/w:(?:document|footnotes|endnotes|hdr|ftr)>\s*$/;
/** Enough of a part's end to hold that closing tag and some trailing whitespace. */
const PART_END_WINDOW = 64;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Where a part goes in the text, or undefined for parts that hold no document text. */
function partRank(name: string): number | undefined {
  const part = /^word\/(document|footnotes|endnotes|header\d*|footer\d*)\.xml$/.exec(name)?.[1];
  if (part === undefined) return undefined;
  if (part === 'document') return 0;
  if (part === 'footnotes' || part === 'endnotes') return 1;
  return part.startsWith('header') ? 2 : 3;
}
