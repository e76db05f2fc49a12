import { findTraceCodeCandidates, parseTraceCode, type TraceCodeCandidate } from '@enclave/protocol';

/** Input this short is taken as one typed code (any case, any separators) before it is searched as text. */
const TYPED_CODE_MAX_LENGTH = 24;

/**
 * The codes an investigator's input holds, each once: a code typed on its own (so a misread one is reported as
 * such), or every code found in pasted text.
 */
export function traceCandidatesIn(text: string): TraceCodeCandidate[] {
  const typed = text.trim();
  if (typed.length <= TYPED_CODE_MAX_LENGTH) {
    const parsed = parseTraceCode(typed);
    if ('code' in parsed) return [{ code: parsed.code, valid: true, source: 'visible' }];
    if (parsed.problem === 'check-symbol') return [{ code: typed.replace(/[^0-9A-Za-z]/g, '').toUpperCase(), valid: false, source: 'visible' }];
  }
  const seen = new Set<string>();
  return findTraceCodeCandidates(text).filter((candidate) => !seen.has(candidate.code) && seen.add(candidate.code));
}
