import type { BuiltinDetectorId } from '@enclave/protocol';
import { bankCardDetector } from './bank-card';
import { cnMobileDetector } from './cn-mobile';
import type { Detector } from './detector';
import { emailDetector } from './email';
import { markingMatcher } from './marking';
import { normalisingDetector } from './normalising-detector';
import { prcIdDetector } from './prc-id';

/**
 * Built-ins hold no per-rule state, so every rule naming one shares the same compiled detector. The number
 * detectors also read numbers with separators inside them removed.
 */
export const BUILTIN_DETECTORS: Readonly<Record<BuiltinDetectorId, Detector>> = {
  'prc-id': normalisingDetector(prcIdDetector, 'numbers'),
  'bank-card': normalisingDetector(bankCardDetector, 'numbers'),
  'cn-mobile': normalisingDetector(cnMobileDetector, 'numbers'),
  email: normalisingDetector(emailDetector, 'text'),
  marking: normalisingDetector(markingMatcher('any'), 'text'),
  'marking-secret': normalisingDetector(markingMatcher('secret'), 'text'),
  'marking-confidential': normalisingDetector(markingMatcher('confidential'), 'text'),
};

