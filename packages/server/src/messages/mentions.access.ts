import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { countMentionsBetween } from './messages.repository';

/**
 * How other features learn how often someone was mentioned (work hours' "while you were off" summary): counts only,
 * of live messages in rooms the person is still in, never which messages or what they said.
 */
export function countMentions(db: Kysely<Database>, userId: string, range: { from: number; to: number }): Promise<{ mentions: number; rooms: number }> {
  return countMentionsBetween(db, userId, range.from, range.to);
}
