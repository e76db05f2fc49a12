import { readFile } from 'node:fs/promises';
import fontkit, { type Font } from '@pdf-lib/fontkit';

/**
 * A font with Chinese glyphs: Debian's fonts-droid-fallback (installed by .ci/run). A TrueType file, which fontkit
 * reads; the Noto CJK collection (.ttc) it does not.
 */
export const CJK_FONT_PATH = '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf';

/** Characters as outlines, in font units, y pointing down as SVG paths do, each with its advance. */
export interface Outlines {
  unitsPerEm: number;
  glyphs: { path: string; advance: number }[];
  /** The sum of the advances. */
  advance: number;
}

let font: Promise<Font> | undefined;

/** The outlines of `text` set in the CJK font, which is read once per thread and kept. */
export async function outlinesOf(text: string): Promise<Outlines> {
  font ??= readFile(CJK_FONT_PATH).then((bytes) => fontkit.create(bytes));
  const cjk = await font;
  const { glyphs, positions } = cjk.layout(text);
  const outlines = glyphs.map((glyph, index) => ({ path: flipY(glyph.path.toSVG()), advance: positions[index]?.xAdvance ?? glyph.advanceWidth }));
  return { unitsPerEm: cjk.unitsPerEm, glyphs: outlines, advance: outlines.reduce((sum, glyph) => sum + glyph.advance, 0) };
}

/**
 * A font's outline has y pointing up; an SVG path, as pdf-lib draws one, down. fontkit writes only absolute M, L,
 * Q, C and Z commands, whose numbers are x y pairs, so negating every second number turns the outline over.
 */
function flipY(path: string): string {
  let index = 0;
  return path.replace(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi, (number) => (index++ % 2 === 1 ? String(-Number(number)) : number));
}
