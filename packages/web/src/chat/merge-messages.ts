import type { Message } from '@enclave/protocol';

/** Messages can reach a timeline from history, the live stream and acks, in any order: keep one of each, by position. */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.position - b.position);
}
