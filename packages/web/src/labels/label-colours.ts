const WHITE = '#ffffff';
/** The page's own text colour (`--text`), so that dark text on a light label looks like the rest of the page. */
const DARK = '#1b1d28';

/** White or dark text, whichever contrasts more with `background` (a `#rrggbb` colour), by WCAG's formula. */
export function readableTextOn(background: string): string {
  const onWhite = contrast(luminance(background), luminance(WHITE));
  const onDark = contrast(luminance(background), luminance(DARK));
  return onWhite >= onDark ? WHITE : DARK;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
