import type { Kysely } from 'kysely';

// Self-contained: never imports application code. A message hidden when its room's ceiling was lowered below its
// label (the owner chose to hide rather than relabel what was above): kept for compliance like a deleted message,
// shown to nobody in the room.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('hidden_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('hidden_at').execute();
}
