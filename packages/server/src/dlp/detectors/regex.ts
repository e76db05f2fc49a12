import { RE2JS, RE2JSException } from 're2js';
import { DetectorCompileError, type Matcher, type Span } from './detector';

/**
 * The largest compiled program accepted. RE2 matches in time linear in the text, but the factor is the
 * program's size: `(?:a|b|ab){400}x` is linear yet takes most of a second on a long message. Every realistic
 * pattern (card numbers, API keys, `[a-f0-9]{64}`) compiles to well under this.
 */
const MAX_PROGRAM_SIZE = 500;

/**
 * A regular expression on RE2's linear-time engine, so no pattern can backtrack catastrophically. Matching is
 * case-sensitive unless the pattern says `(?i)`; empty matches are not reported, since there is nothing to mask.
 */
export function compileRegex(pattern: string): Matcher {
  const compiled = compileLinear(pattern);
  const nextMatchTest = compileNextMatchTest(pattern);
  return {
    findSpans(text) {
      // The match test runs on RE2's DFA and is several times faster than locating the matches, and most
      // messages match no rule, so the locating pass only runs when there is something to find.
      return compiled.test(text) ? locateMatches(compiled, nextMatchTest, text) : [];
    },
    test(text) {
      return compiled.test(text);
    },
  };
}

function compileLinear(pattern: string): RE2JS {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    if (error instanceof RE2JSException) throw new DetectorCompileError('invalid-pattern', describeSyntaxError(error));
    throw error;
  }
  if (compiled.programSize() > MAX_PROGRAM_SIZE) {
    throw new DetectorCompileError('invalid-pattern', 'pattern too complex: use smaller repeat counts or fewer alternatives');
  }
  return compiled;
}

/**
 * RE2's message without its fixed prefix, e.g. "missing closing ]: `[a-z`". The two features people most often
 * bring from other engines get a plain explanation instead, since RE2 reports them as mere bad syntax.
 */
function describeSyntaxError(error: RE2JSException): string {
  const detail = error.message.replace(/^error parsing regexp: /, '');
  if (/`\(\?<?[=!]/.test(detail)) return 'lookahead and lookbehind, (?=…) (?!…) (?<=…) (?<!…), are not supported';
  if (/escape sequence: `\\[1-9]/.test(detail)) return 'backreferences such as \\1 are not supported';
  return detail;
}

function locateMatches(compiled: RE2JS, nextMatchTest: RE2JS | undefined, text: string): Span[] {
  const spans: Span[] = [];
  const matcher = compiled.matcher(text);
  let from = 0;
  while (from <= text.length && matcher.find(from)) {
    const start = matcher.start();
    const end = matcher.end();
    if (end > start) {
      spans.push([start, end]);
      from = end;
      if (nextMatchTest !== undefined && !nextMatchTest.test(text.slice(from - characterLengthBefore(text, from)))) break;
    } else {
      // Step over an empty match by a whole character, so the search neither stalls nor splits a surrogate pair.
      from = start + characterLength(text, start);
    }
  }
  return spans;
}

/**
 * The pattern after any one character, which tested on the text from one character before a position says
 * exactly whether a match starts at or after it: that character is what `\b` and `^` look back at. Locating
 * walks the rest of the message on RE2's slow position-finding path and usually finds nothing after the last
 * match, so this fast test ends the search there. Undefined for the rare pattern that cannot be wrapped (one
 * ending in an open `\Q`), which then simply searches on. Only texts that match get here (the rule set's and
 * `findSpans`' own `test` turn the others away), and for those it pays: with the benchmark's 20 patterns, a match
 * near the start of an 800-character message is located 3 to 4 times faster, one at its end no slower, for about
 * 0.7 ms more compiling per pattern, spent only when the rules are compiled (first use, and after a change).
 */
function compileNextMatchTest(pattern: string): RE2JS | undefined {
  try {
    return RE2JS.compile(`(?s:.)(?:${pattern})`);
  } catch (error) {
    if (error instanceof RE2JSException) return undefined;
    throw error;
  }
}

function characterLengthBefore(text: string, position: number): number {
  const code = text.codePointAt(position - 2);
  return code !== undefined && code > 0xffff ? 2 : 1;
}

function characterLength(text: string, position: number): number {
  const code = text.codePointAt(position);
  return code !== undefined && code > 0xffff ? 2 : 1;
}
