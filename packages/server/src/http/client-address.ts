import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/** Whether the peer at `address`, `hop` steps from us, is a proxy whose forwarding headers we believe. */
export type TrustedProxies = (address: string, hop: number) => boolean;

/** Where a request really came from: the client's address and whether it reached the first trusted hop over TLS. */
export interface ClientOrigin {
  address: string;
  protocol: 'http' | 'https';
}

/**
 * Compiles the configured proxy list (ENCLAVE_TRUST_PROXY, checked by config.ts) once. The result is what Fastify
 * gets as `trustProxy`, so `request.ip` and `request.protocol` follow exactly the rules of `clientOrigin` below.
 */
export function trustedProxiesOf(list: readonly string[]): TrustedProxies {
  if (list.length === 0) return () => false;
  return proxyAddr.compile([...list]);
}

/**
 * The client address and protocol of a raw request, for code that sees the request before Fastify does (the
 * WebSocket upgrade). X-Forwarded-For is followed from our socket's peer outwards only through trusted proxies, and
 * X-Forwarded-Proto counts only when the direct peer is trusted: the same library and rules as Fastify's.
 */
export function clientOrigin(request: IncomingMessage, trusted: TrustedProxies): ClientOrigin {
  const chain = proxyAddr.all(request, trusted);
  const address = chain[chain.length - 1] ?? '';
  const peer = request.socket.remoteAddress;
  const forwarded = request.headers['x-forwarded-proto'];
  if (typeof forwarded === 'string' && forwarded !== '' && peer !== undefined && trusted(peer, 0)) {
    return { address, protocol: lastEntry(forwarded).toLowerCase() === 'https' ? 'https' : 'http' };
  }
  return { address, protocol: 'encrypted' in request.socket && request.socket.encrypted ? 'https' : 'http' };
}

/** A proxy appends to the header; the last entry is the one our trusted peer wrote. */
function lastEntry(header: string): string {
  return header.slice(header.lastIndexOf(',') + 1).trim();
}
