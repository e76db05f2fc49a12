import { SESSION_COOKIE } from '@enclave/protocol';
import type { IncomingHttpHeaders } from 'node:http';

/** The session token from `Authorization: Bearer …`, or else from the web client's cookie. */
export function readToken(headers: IncomingHttpHeaders, queryToken?: string): string | undefined {
  const authorization = headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim() || undefined;
  if (queryToken) return queryToken;
  return readCookie(headers.cookie, SESSION_COOKIE);
}

/** True when the token came from the cookie, which is what cross-site request forgery would ride on. */
export function usesCookie(headers: IncomingHttpHeaders, queryToken?: string): boolean {
  return !headers.authorization && !queryToken && readCookie(headers.cookie, SESSION_COOKIE) !== undefined;
}

/**
 * The first cookie of that name, or undefined. A value that is not valid percent-encoding (`%ff%fe`) cannot be a
 * token we issued, so it counts as no cookie at all: the request is anonymous (401), never a server error.
 */
function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return decodeCookieValue(part.slice(separator + 1).trim());
  }
  return undefined;
}

function decodeCookieValue(raw: string): string | undefined {
  const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  try {
    return decodeURIComponent(value) || undefined;
  } catch {
    return undefined;
  }
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  const attributes = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
