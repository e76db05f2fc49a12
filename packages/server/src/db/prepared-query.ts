import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema';

/** A stand-in for a value of the query; annotate `build`'s second argument with it to name the values. */
export type Param<Params> = <K extends keyof Params & string>(name: K) => Params[K];

interface Plan {
  sql: string;
  /** Per compiled parameter: the name of the value that goes there, or a constant of the query itself. */
  slots: ({ name: string } | { constant: unknown })[];
}

const PARAM_MARK = '\u0000enclave-param:';

/**
 * A query of a fixed shape, built and compiled once per database and then run with new values. Kysely builds the
 * operation tree and compiles it to SQL on every execution, about 20 µs for a join of a few conditions: on the
 * paths every request (the session, the room membership) or every send takes, that was a tenth of the server's
 * work. `build` gets `param(name)`, a stand-in for each value the query takes (typed by annotating it as
 * `Param<{…}>`); every other value in it is a constant. A query whose shape depends on its values (an `in` list,
 * an optional condition) cannot be prepared.
 *
 * Plans are kept per Kysely instance, which fixes the dialect: the server's own database object runs prepared
 * plans, while a transaction (a new instance each time) compiles as usual.
 */
export function preparedQuery<Params extends Record<string, unknown>, Row>(build: (db: Kysely<Database>, param: Param<Params>) => Compilable<Row>) {
  const plans = new WeakMap<Kysely<Database>, Plan>();
  const planFor = (db: Kysely<Database>): Plan => {
    let plan = plans.get(db);
    if (!plan) {
      plan = compilePlan(build(db, ((name: string) => `${PARAM_MARK}${name}`) as Param<Params>));
      plans.set(db, plan);
    }
    return plan;
  };
  return {
    async execute(db: Kysely<Database>, params: Params): Promise<Row[]> {
      const { sql, slots } = planFor(db);
      const parameters = slots.map((slot) => ('name' in slot ? params[slot.name] : slot.constant));
      return (await db.executeQuery(CompiledQuery.raw(sql, parameters) as CompiledQuery<Row>)).rows;
    },
    async executeTakeFirst(db: Kysely<Database>, params: Params): Promise<Row | undefined> {
      return (await this.execute(db, params))[0];
    },
  };
}

function compilePlan(query: Compilable<unknown>): Plan {
  const { sql, parameters } = query.compile();
  return {
    sql,
    slots: parameters.map((value) => (typeof value === 'string' && value.startsWith(PARAM_MARK) ? { name: value.slice(PARAM_MARK.length) } : { constant: value })),
  };
}
