/** What every tile of a watermark shows: who and when in small lines, then the trace code in large type. */
export interface WatermarkContent {
  /** Read by assistive technology in place of the tiles. */
  label: string;
  lines: string[];
  code: string;
}

/** A tile's size in CSS pixels; watermark.css draws tiles at exactly this size. */
const TILE_WIDTH = 330;
const TILE_HEIGHT = 160;

/**
 * Draws the tiles of a watermark into `host` and keeps them there: a change to the host (its attributes, its
 * tiles, their text) or its removal from its parent draws it again at once. A cheap deterrent against removing it
 * in the browser's developer tools; a modified client or an injected style sheet still defeats it, as the admin
 * guide says. Answers the function that stops guarding (for unmounting).
 */
export function guardWatermark(host: HTMLElement, content: WatermarkContent): () => void {
  const parent = host.parentElement;
  if (!parent) return () => undefined;
  const observer = new MutationObserver((records) => {
    if (records.some((record) => record.target !== parent || !parent.contains(host))) draw();
  });
  const resized = new ResizeObserver(() => draw());

  function draw() {
    observer.disconnect();
    if (host.parentElement !== parent) parent!.append(host);
    host.className = 'trace-watermark';
    for (const attribute of [...host.attributes]) if (attribute.name !== 'class') host.removeAttribute(attribute.name);
    host.setAttribute('role', 'note');
    host.setAttribute('aria-label', content.label);
    host.replaceChildren(...rowsFor(parent!, content));
    observer.observe(host, { attributes: true, childList: true, subtree: true, characterData: true });
    observer.observe(parent!, { childList: true });
  }

  draw();
  resized.observe(parent);
  return () => {
    observer.disconnect();
    resized.disconnect();
  };
}

/** Enough staggered rows of tiles to cover the parent, one tile more each way for the stagger. */
function rowsFor(parent: HTMLElement, content: WatermarkContent): HTMLElement[] {
  const columns = Math.ceil(parent.clientWidth / TILE_WIDTH) + 1;
  const rows = Math.ceil(parent.clientHeight / TILE_HEIGHT) + 1;
  return Array.from({ length: rows }, () => {
    const row = element('div', 'trace-watermark__row');
    row.append(...Array.from({ length: columns }, () => tile(content)));
    return row;
  });
}

function tile(content: WatermarkContent): HTMLElement {
  const box = element('div', 'trace-watermark__tile');
  box.setAttribute('aria-hidden', 'true');
  for (const line of content.lines) box.append(element('span', 'trace-watermark__line', line));
  box.append(element('span', 'trace-watermark__code', content.code));
  return box;
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const made = document.createElement(tag);
  made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}
