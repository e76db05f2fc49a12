import { createHash } from 'node:crypto';

/**
 * How a bearer secret (a session token, a sign-in challenge, an invite code) is kept: its SHA-256, so that a copy
 * of the database lets nobody sign in or use a link. The secrets are long and random, so no salt or slow hash is
 * needed.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
