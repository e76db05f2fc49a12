/**
 * A Content-Disposition header (RFC 6266) for a stored file name: `filename*` carries the exact name in UTF-8
 * (RFC 8187), and `filename` an ASCII stand-in for the rare client that ignores it. Names never hold control
 * characters (FileName refuses them), so the header cannot be split.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
