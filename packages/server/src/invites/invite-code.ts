import { randomBytes } from 'node:crypto';
import { hashToken } from '../auth/token-hash';

/** 256 random bits: unguessable, like a session token, and kept only as its SHA-256 in the same way. */
const CODE_BYTES = 32;
/** How much of a code the invite list shows: enough to tell invites apart, far too little to use one. */
const PREFIX_LENGTH = 6;

export interface InviteCode {
  code: string;
  hash: string;
  prefix: string;
}

export function newInviteCode(): InviteCode {
  const code = randomBytes(CODE_BYTES).toString('base64url');
  return { code, hash: hashInviteCode(code), prefix: code.slice(0, PREFIX_LENGTH) };
}

export function hashInviteCode(code: string): string {
  return hashToken(code);
}

/** The link a phone camera opens: the web client's landing page for the code. */
export function inviteUrl(origin: string, code: string): string {
  return `${origin}/invite/${code}`;
}
