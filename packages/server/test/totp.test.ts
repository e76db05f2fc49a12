import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32Decode, base32Encode, matchingStep, timeStep, totpCode } from '../src/auth/totp';

// RFC 6238, appendix B: the SHA-1 secret is the ASCII string "12345678901234567890"; its 8-digit codes end in ours.
const rfcSecret = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

test('computes the RFC 6238 test vectors (SHA-1, last six digits)', () => {
  const vectors: [number, string][] = [
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ];
  for (const [seconds, code] of vectors) assert.equal(totpCode(rfcSecret, timeStep(seconds * 1000)), code, `at T=${seconds}`);
});

test('base32 round-trips any bytes', () => {
  for (const length of [0, 1, 5, 19, 20, 33]) {
    const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + 11) % 256));
    assert.deepEqual(base32Decode(base32Encode(bytes)), bytes);
  }
});

test('accepts a code one step either side of now, and nothing further', () => {
  const now = 1_700_000_000_000;
  const step = timeStep(now);
  for (const offset of [-1, 0, 1]) assert.equal(matchingStep(rfcSecret, totpCode(rfcSecret, step + offset), now), step + offset);
  for (const offset of [-2, 2]) assert.equal(matchingStep(rfcSecret, totpCode(rfcSecret, step + offset), now), undefined);
});
