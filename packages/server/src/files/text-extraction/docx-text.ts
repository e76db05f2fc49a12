/**
 * The text of a WordprocessingML part: `<w:t>` (and tracked deletions' `<w:delText>`) contents with entities
 * decoded, `<w:tab/>` as a tab, `<w:br/>` and `<w:cr/>` as a line break, and a line break after each paragraph.
 * Stops once it has more than `maxChars`.
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
      // Deleted text of a tracked change is still in the file and shown to every reviewer.
      case 't':
      case 'delText':
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
  // A part cut off inside a text element (see readZipMember) still gives the text it holds up to the cut.
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

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
