import { z } from 'zod';

/**
 * The same schema with every object inside it refusing keys it does not declare (`unrecognized_keys`), however
 * deep: in arrays, unions, optional and defaulted fields, refinements and transforms. Requests and client frames
 * go through this so that a field a client believes in but the server does not know (`urgent`, `sendAt`) is
 * refused by name instead of silently dropped. Objects that chose a catch-all of their own keep it. Responses
 * are not made strict, so a newer server may add fields without breaking older clients.
 *
 * Every string in it also refuses the NUL character: no name, id or text needs one, and PostgreSQL cannot store
 * one, so an id like `%00` in a path answered 500 there while SQLite answered 404 (found by the fuzz suite).
 */
export function strictInput<S extends z.ZodType>(schema: S): S {
  return strictened(schema, new Map()) as S;
}

type AnySchema = z.core.$ZodType;

function strictened(schema: AnySchema, done: Map<AnySchema, AnySchema>): AnySchema {
  const known = done.get(schema);
  if (known) return known;
  const result = rebuilt(schema, (inner) => strictened(inner, done));
  done.set(schema, result);
  return result;
}

/** Rebuilds one schema around its strictened children; leaves without children come back as they are. */
function rebuilt(schema: AnySchema, strict: (inner: AnySchema) => AnySchema): AnySchema {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const clone = (changes: Record<string, unknown>) => (schema as z.ZodType).clone({ ...def, ...changes } as never);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      const strictShape = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, strict(value)]));
      return clone({ shape: strictShape, catchall: def.catchall ?? z.never() });
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'catch':
    case 'readonly':
      return clone({ innerType: strict(def.innerType as AnySchema) });
    case 'array':
      return clone({ element: strict(def.element as AnySchema) });
    case 'pipe':
      return clone({ in: strict(def.in as AnySchema), out: strict(def.out as AnySchema) });
    case 'union':
      return clone({ options: (def.options as AnySchema[]).map(strict) });
    case 'intersection':
      return clone({ left: strict(def.left as AnySchema), right: strict(def.right as AnySchema) });
    case 'record':
      return clone({ valueType: strict(def.valueType as AnySchema) });
    case 'tuple':
      return clone({ items: (def.items as AnySchema[]).map(strict), rest: def.rest ? strict(def.rest as AnySchema) : def.rest });
    case 'lazy': {
      const getter = def.getter as () => AnySchema;
      return clone({ getter: () => strict(getter()) });
    }
    case 'string':
      return (schema as z.ZodString).refine((value) => !value.includes('\u0000'), 'must not contain the NUL character');
    default:
      return schema;
  }
}
