import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Who was in a room when: one row per stay (joined, and left or
// still there), written with every membership change from now on, so an eDiscovery export names the people who
// could read a message when it was sent rather than today's members. Current members get their open stay from
// `room_members.joined_at`; who left before this migration is not known, so each existing room notes the moment
// its history begins (`members_recorded_since`) and messages sent before it fall back to the current members.
// Rooms created later start their history at once (0).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('room_member_periods')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addColumn('left_at', 'bigint')
    .execute();
  await db.schema.createIndex('room_member_periods_by_room').on('room_member_periods').columns(['room_id', 'user_id', 'joined_at']).execute();
  await db
    .insertInto('room_member_periods')
    .columns(['room_id', 'user_id', 'joined_at'])
    .expression((eb: any) => eb.selectFrom('room_members').select(['room_id', 'user_id', 'joined_at']))
    .execute();
  await db.schema
    .alterTable('rooms')
    .addColumn('members_recorded_since', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.updateTable('rooms').set({ members_recorded_since: Date.now() }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rooms').dropColumn('members_recorded_since').execute();
  await db.schema.dropTable('room_member_periods').execute();
}
