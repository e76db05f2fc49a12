import { compileKeywords } from './keywords';

/**
 * Classification markings. The English ones count only in capitals, as markings are written, so "secret" in
 * ordinary prose is not a marking; the Chinese ones match anywhere, like any Chinese keyword.
 */
export const markingDetector = compileKeywords(['绝密', '机密', '秘密', 'TOP SECRET', 'SECRET', 'CONFIDENTIAL'], { caseSensitive: true });
