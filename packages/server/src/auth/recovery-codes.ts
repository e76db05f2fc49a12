import { createHash, randomInt } from 'node:crypto';

const COUNT = 10;
/** No 0/o, 1/l/i: codes are read off paper. Ten characters of 31 give about 50 bits each. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten fresh codes, grouped `abcde-fghij` for reading. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/**
 * SHA-256 of the code with case, spaces and dashes removed. The codes are random and long, so a fast hash is
 * as safe here as it is for session tokens.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[\s-]/g, '')).digest('hex');
}
