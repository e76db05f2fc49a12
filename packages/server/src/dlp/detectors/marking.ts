import { compileKeywords } from './keywords';

/**
 * Classification markings. The English ones count only in capitals, as markings are written, so "secret" in
 * ordinary prose is not a marking; the Chinese ones match anywhere, like any Chinese keyword.
 */
export const markingDetector = compileKeywords(['绝密', '机密', '秘密', 'TOP SECRET', 'SECRET', 'CONFIDENTIAL'], { caseSensitive: true });

/**
 * The markings of one level each, for the seeded rules that raise a label from content. 秘密 is the lowest of the
 * three Chinese grades and maps to `confidential` with 机密, since the default labels have no level between.
 */
export const secretMarkingDetector = compileKeywords(['绝密', 'TOP SECRET', 'SECRET'], { caseSensitive: true });
export const confidentialMarkingDetector = compileKeywords(['机密', '秘密', 'CONFIDENTIAL'], { caseSensitive: true });
