/** The id of the results list, for the search box to hand the focus to its first result. */
export const RESULTS_LIST_ID = 'search-results';

/**
 * Arrow keys move the focus among the results (each a link, so Enter opens it); ArrowDown in the search box goes
 * to the first. Returns whether the key was used, so that the caller can keep the page from scrolling too.
 */
export function moveResultFocus(key: string, from: Element | null): boolean {
  const links = [...(document.getElementById(RESULTS_LIST_ID)?.querySelectorAll<HTMLAnchorElement>('a.search-result') ?? [])];
  const at = links.findIndex((link) => link === from);
  const next =
    key === 'ArrowDown' ? links[at + 1] : key === 'ArrowUp' && at > 0 ? links[at - 1] : key === 'Home' && at >= 0 ? links[0] : key === 'End' && at >= 0 ? links.at(-1) : undefined;
  next?.focus();
  return next !== undefined;
}
