import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Long enough to read the dialog and decide; short enough that a token found later is useless. */
export const CONFIRMATION_TTL_MS = 5 * 60_000;

/** What a confirmation is about: who sends what, where, to whom. Any change needs a new confirmation. */
export interface ConfirmationSubject {
  senderId: string;
  roomId: string;
  /** Digest of who is in the room now (see room-audience.ts). */
  audience: string;
  /** Digest of what is sent: the text and label, or the forwarded message, and the files it carries. */
  content: string;
}

interface Claims {
  s: string;
  r: string;
  a: string;
  c: string;
  e: number;
}

/**
 * Signs and checks the tokens of CONFIRMATION_REQUIRED. They are stateless (an HMAC under a key derived from the
 * installation's secret key), so any node sharing that key accepts them and nothing is stored per attempt.
 */
export class ConfirmationTokens {
  private readonly key: Buffer;

  constructor(secretKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'enclave send confirmation', 32));
  }

  issue(subject: ConfirmationSubject, now = Date.now()): string {
    const claims: Claims = { s: subject.senderId, r: subject.roomId, a: subject.audience, c: subject.content, e: now + CONFIRMATION_TTL_MS };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** True only for an unexpired token this installation issued for exactly this subject. */
  accepts(token: string | undefined, subject: ConfirmationSubject, now = Date.now()): boolean {
    if (token === undefined) return false;
    const [payload, signature] = token.split('.');
    if (!payload || !signature) return false;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
    } catch {
      return false;
    }
    return claims.e > now && claims.s === subject.senderId && claims.r === subject.roomId && claims.a === subject.audience && claims.c === subject.content;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/**
 * A short digest of content, so the token binds it without carrying it. Each part is hashed with its length, so
 * no two lists of parts share a digest (a text ending in a separator cannot pass for the text plus a file id).
 */
export function digestOf(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest('base64url');
}
