import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

/** Whether the database answers one trivial query within `withinMs` (a readiness check's question). */
export async function databaseAnswers(db: Kysely<Database>, withinMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), withinMs)));
  const answered = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
