import type { Kysely } from 'kysely';

// Self-contained: never imports application code. Whether text extraction read a file to its end; DLP treats a
// file it could not fully read (encrypted, damaged, past a size limit) as matching every rule that applies. Files
// uploaded before this column existed were extracted without saying, and count as read.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('files')
    .addColumn('text_complete', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('files').dropColumn('text_complete').execute();
}
