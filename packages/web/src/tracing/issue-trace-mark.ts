import type { ClientTraceItemKind, TraceMark } from '@enclave/protocol';
import { api } from '../app/api';

/** The viewer's trace code for an item, or null where the marking policy puts no mark on it. */
export async function issueTraceMark(kind: ClientTraceItemKind, itemId: string): Promise<TraceMark | null> {
  const { mark } = await api.endpoint('issueTraceMark')({ body: { kind, itemId } });
  return mark;
}
