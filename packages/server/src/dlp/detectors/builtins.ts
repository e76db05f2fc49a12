import type { BuiltinDetectorId } from '@enclave/protocol';
import { bankCardDetector } from './bank-card';
import { cnMobileDetector } from './cn-mobile';
import type { Detector } from './detector';
import { emailDetector } from './email';
import { confidentialMarkingDetector, markingDetector, secretMarkingDetector } from './marking';
import { prcIdDetector } from './prc-id';

/** Built-ins hold no per-rule state, so every rule naming one shares the same compiled detector. */
export const BUILTIN_DETECTORS: Readonly<Record<BuiltinDetectorId, Detector>> = {
  'prc-id': prcIdDetector,
  'bank-card': bankCardDetector,
  'cn-mobile': cnMobileDetector,
  email: emailDetector,
  marking: markingDetector,
  'marking-secret': secretMarkingDetector,
  'marking-confidential': confidentialMarkingDetector,
};
