import { createHash, createHmac, hkdfSync, randomUUID, timingSafeEqual } from 'node:crypto';

/** Long enough to read the dialog and decide; short enough that a token found later is useless. */
export const CONFIRMATION_TTL_MS = 5 * 60_000;

/** What a confirmation is about: who sends what, where, to whom. Any change needs a new confirmation. */
export interface ConfirmationSubject {
  senderId: string;
  roomId: string;
  /** Digest of who is in the room now (see room-audience.ts). */
  audience: string;
  /** The room's membership version: any join or leave since the dialog, even one undone later, voids it. */
  membershipVersion: number;
  /** Digest of what is sent: the text and label, or the forwarded message, and the files it carries. */
  content: string;
}

interface Claims {
  s: string;
  r: string;
  a: string;
  v: number;
  c: string;
  e: number;
  /** A random id, so the token can be used once (see `protection.repository.ts` `useConfirmation`). */
  j: string;
}

/** A token that passed its checks: the caller records its id as used, which only one request can do. */
export interface AcceptedConfirmation {
  id: string;
  expiresAt: number;
}

/**
 * Signs and checks the tokens of CONFIRMATION_REQUIRED: an HMAC under a key derived from the installation's secret
 * key, so any node sharing that key can check them and nothing is stored per dialog shown. Only an accepted token's
 * id is stored, by the caller, so it cannot be accepted twice.
 */
export class ConfirmationTokens {
  private readonly key: Buffer;

  constructor(secretKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'enclave send confirmation', 32));
  }

  issue(subject: ConfirmationSubject, now = Date.now()): string {
    const claims: Claims = {
      s: subject.senderId,
      r: subject.roomId,
      a: subject.audience,
      v: subject.membershipVersion,
      c: subject.content,
      e: now + CONFIRMATION_TTL_MS,
      j: randomUUID(),
    };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /**
   * The token's id and expiry when this installation issued it, unexpired, for exactly this subject; otherwise
   * undefined. Whether it was used already is the caller's question.
   */
  verify(token: string | undefined, subject: ConfirmationSubject, now = Date.now()): AcceptedConfirmation | undefined {
    if (token === undefined) return undefined;
    const [payload, signature] = token.split('.');
    if (!payload || !signature) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
    } catch {
      return undefined;
    }
    const matches =
      claims.s === subject.senderId && claims.r === subject.roomId && claims.a === subject.audience && claims.v === subject.membershipVersion && claims.c === subject.content;
    if (!matches || !(claims.e > now) || typeof claims.j !== 'string') return undefined;
    return { id: claims.j, expiresAt: claims.e };
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
