import type { DlpDetector } from '@enclave/protocol';
import { BUILTIN_DETECTORS } from './builtins';
import type { Detector } from './detector';
import { compileKeywords } from './keywords';
import { normalisingDetector } from './normalising-detector';
import { compileRegex } from './regex';

export { DetectorCompileError, type Detector, type Span } from './detector';
export { redactSpans } from './redact';

/**
 * Compiles a rule's detector once, so that scanning a message allocates no expressions or tables. Throws
 * DetectorCompileError when a regular expression cannot run on the linear-time engine. Every detector reads the
 * text normalised (normalise/) and reports spans of the original.
 */
export function compileDetector(detector: DlpDetector): Detector {
  switch (detector.kind) {
    case 'builtin':
      return BUILTIN_DETECTORS[detector.id];
    case 'keywords':
      return normalisingDetector(compileKeywords(detector.words, { caseSensitive: false }), 'text');
    case 'regex':
      return normalisingDetector(compileRegex(detector.pattern), 'text');
  }
}
