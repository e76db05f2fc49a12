import type { ConnectionOptions } from '@nats-io/transport-node';

/**
 * What `connect` needs from ENCLAVE_NATS_URL: `nats://user:password@host:port` (or `tls://…`), several separated by
 * commas for a NATS cluster, the user and password percent-encoded as in any URL. The client library does not read
 * credentials from a URL, so they are taken out here and given as options, and the servers are named without them
 * (nothing that logs a server's address can show the password). A token goes in the user part alone.
 */
export function natsConnectionOptions(url: string): Pick<ConnectionOptions, 'servers' | 'user' | 'pass' | 'token'> {
  const servers: string[] = [];
  let credentials: Pick<ConnectionOptions, 'user' | 'pass' | 'token'> = {};
  for (const part of url.split(',').map((server) => server.trim())) {
    const parsed = new URL(part);
    if (parsed.username && Object.keys(credentials).length === 0) {
      const user = decodeURIComponent(parsed.username);
      credentials = parsed.password ? { user, pass: decodeURIComponent(parsed.password) } : { token: user };
    }
    parsed.username = '';
    parsed.password = '';
    servers.push(parsed.toString().replace(/\/$/, ''));
  }
  return { servers, ...credentials };
}
