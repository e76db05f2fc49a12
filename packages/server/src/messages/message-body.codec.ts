/**
 * The single place message text is turned into what is stored and back. Every write and every read of
 * `messages.body` passes through here, so encryption at rest (and retention's erasure) attach in one spot.
 * Today the stored form is the text itself.
 */
export function encodeBody(text: string): string {
  return text;
}

export function decodeBody(body: string): string {
  return body;
}
