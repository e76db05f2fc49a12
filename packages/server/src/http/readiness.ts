import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { databaseAnswers } from '../db/ping';
import type { Database } from '../db/schema';

/** A database slower than this to answer one trivial query is as good as gone for the people sent here. */
const DATABASE_ANSWER_MS = 2000;

/** A node that has not delivered what was committed this long ago is not keeping up, even if it moves. */
export const CATCH_UP_LIMIT_MS = 10_000;

export interface ReadinessSources {
  db: Kysely<Database>;
  /** On a node linked to others: the log's head and how far this node has delivered. */
  delivery?: () => Promise<{ head: number; delivered: number }>;
  now: () => number;
}

/**
 * Whether this node should be sent people (GET /readyz): 200 while it can serve them, 503 with the reason while
 * it cannot, for a load balancer to take it out of rotation and put it back. A node whose broker line is down is
 * still ready: it serves its clients and delivers the others' messages from the database (`/healthz` says
 * degraded). It is not ready when its database does not answer, or when it has not delivered, for CATCH_UP_LIMIT_MS,
 * what was committed that long ago: the log's head it saw then is still ahead. (While it shuts down, Fastify
 * answers every request 503 itself.)
 */
export function registerReadiness(app: FastifyInstance, sources: ReadinessSources): void {
  let mark: { head: number; at: number } | undefined;

  const lagging = (head: number, delivered: number): boolean => {
    const now = sources.now();
    if (!mark || delivered >= mark.head) {
      mark = { head, at: now };
      return false;
    }
    return now - mark.at > CATCH_UP_LIMIT_MS;
  };

  app.get('/readyz', async (_request, reply) => {
    const reasons: string[] = [];
    if (!(await databaseAnswers(sources.db, DATABASE_ANSWER_MS))) reasons.push('database');
    else if (sources.delivery) {
      const { head, delivered } = await sources.delivery();
      if (lagging(head, delivered)) reasons.push('behind');
    }
    return reply.code(reasons.length === 0 ? 200 : 503).send({ ready: reasons.length === 0, reasons });
  });
}
