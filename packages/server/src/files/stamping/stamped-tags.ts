/** Which copy of a file a stamp is on: the original's bytes, or one of its rendered views. */
export type StampedVariant = 'content' | 'thumbnail' | 'preview' | `page-${number}`;

/**
 * The entity tag of a stamped copy names its variant and its code: a copy is one viewer's, so no cache can take
 * one person's copy for another's, and the same code on the same rendering always stamps the same bytes.
 */
export function stampedTag(variant: StampedVariant, code: string): string {
  return `"stamped-${variant}-${code}"`;
}

/** The stamped copies an If-None-Match header names (a `W/` prefix does not matter). */
export function parseStampedTags(ifNoneMatch: string | undefined): { variant: StampedVariant; code: string }[] {
  if (ifNoneMatch === undefined) return [];
  return ifNoneMatch.split(',').flatMap((tag) => {
    const match = /^(?:W\/)?"stamped-(content|thumbnail|preview|page-\d+)-([0-9A-Z]{9})"$/.exec(tag.trim());
    return match ? [{ variant: match[1] as StampedVariant, code: match[2]! }] : [];
  });
}
