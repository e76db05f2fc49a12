import { sql, type RawBuilder } from 'kysely';

/**
 * A case-insensitive "column contains text" condition in which %, _ and \ in the text are taken literally.
 * SQLite has no default LIKE escape character, so one is named, which both dialects accept.
 */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}
