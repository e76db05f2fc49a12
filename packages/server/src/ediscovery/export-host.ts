/**
 * The host named in exported addresses and Message-IDs: the installation's public host, so messages exported by
 * one installation never collide with another's in a mail archive; `enclave.invalid` (reserved, RFC 2606) without one.
 */
export function exportHost(publicUrl: string | undefined): string {
  if (!publicUrl) return 'enclave.invalid';
  try {
    return new URL(publicUrl).hostname || 'enclave.invalid';
  } catch {
    return 'enclave.invalid';
  }
}
