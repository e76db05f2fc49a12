import type { Matcher, Span } from './detector';

/** Email addresses, pragmatically: local@domain.tld with ASCII names and a top-level domain of letters. */
export const emailDetector: Matcher = { findSpans: findEmailSpans };

/**
 * An address from the start of its local part. Labels cannot contain dots, so the domain has a single way to
 * split and backtracking over it stays linear.
 */
const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/y;

/**
 * Every address hangs on an "@", and most messages have none or one (a mention), so the scan jumps from one
 * "@" to the next rather than trying an expression at every position. From each "@" it steps back to the start
 * of the local part; a local part that began inside the previous address does not start an address of its own.
 */
function findEmailSpans(text: string): Span[] {
  const spans: Span[] = [];
  let matchedUpTo = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > matchedUpTo && isLocalPartCharacter(text.charCodeAt(start - 1))) start -= 1;
    if (start === at || (start === matchedUpTo && start > 0 && isLocalPartCharacter(text.charCodeAt(start - 1)))) continue;
    ADDRESS.lastIndex = start;
    if (ADDRESS.test(text)) {
      spans.push([start, ADDRESS.lastIndex]);
      matchedUpTo = ADDRESS.lastIndex;
    }
  }
  return spans;
}

/** ASCII letters, digits and . _ % + - */
function isLocalPartCharacter(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x2e ||
    code === 0x5f ||
    code === 0x25 ||
    code === 0x2b ||
    code === 0x2d
  );
}
