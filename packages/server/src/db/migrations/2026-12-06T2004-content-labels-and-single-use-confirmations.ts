import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

// Self-contained: never imports application code.
// - rooms.membership_version: bumped by every membership change, so a confirmation given for one audience cannot
//   be replayed after members leave and come back (the member list alone would look the same again).
// - used_confirmations: the id of every accepted confirmation token until it expires; its primary key makes a
//   second use of the same token (even a concurrent one) fail.
// - dlp_rules.raises_label_to: a rule that raises the label of what it matches; two such rules are seeded for the
//   classification markings, where those labels exist.

const MARKING_RULES = [
  { name: 'Marked secret (绝密 / TOP SECRET / SECRET)', builtin: 'marking-secret', label: 'secret' },
  { name: 'Marked confidential (机密 / 秘密 / CONFIDENTIAL)', builtin: 'marking-confidential', label: 'confidential' },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rooms').addColumn('membership_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('used_confirmations')
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('used_confirmations_expiry').on('used_confirmations').column('expires_at').execute();
  await db.schema.alterTable('dlp_rules').addColumn('raises_label_to', 'text').execute();

  const labels = new Set((await db.selectFrom('labels').select('id').execute()).map((row: { id: string }) => row.id));
  const now = Date.now();
  const seeded = MARKING_RULES.filter((rule) => labels.has(rule.label)).map((rule, index) => ({
    id: randomUUID(),
    name: rule.name,
    detector: JSON.stringify({ kind: 'builtin', id: rule.builtin }),
    scope: '{}',
    action: 'label',
    enabled: 1,
    created_by: 'system',
    // Distinct times keep the rules in this order in the admin's list.
    created_at: now + index,
    updated_at: now + index,
    raises_label_to: rule.label,
  }));
  if (seeded.length > 0) await db.insertInto('dlp_rules').values(seeded).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('dlp_rules').where('action', '=', 'label').execute();
  await db.schema.alterTable('dlp_rules').dropColumn('raises_label_to').execute();
  await db.schema.dropTable('used_confirmations').execute();
  await db.schema.alterTable('rooms').dropColumn('membership_version').execute();
}
