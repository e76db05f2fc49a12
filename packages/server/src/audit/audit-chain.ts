import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry that its hash covers: everything but the hash itself. */
export interface ChainedEntry {
  seq: number;
  at: number;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: string;
  ip: string | null;
  prevHash: string;
}

/**
 * SHA-256 over a fixed-order JSON array of the entry's fields. Each entry names the previous entry's hash, so
 * changing, removing or reordering any entry breaks every hash after it.
 */
export function hashEntry(entry: ChainedEntry): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.at,
    entry.actorId,
    entry.action,
    entry.targetType,
    entry.targetId,
    entry.data,
    entry.ip,
    entry.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainBreak {
  seq: number;
  reason: 'hash-mismatch' | 'previous-hash-mismatch' | 'sequence-gap' | 'head-mismatch';
}

/**
 * Checks that `entry` follows the chain as it stood (`state`), and advances `state` past it when it does.
 * Returns the break otherwise, naming the first entry that does not fit.
 */
export function checkNextEntry(entry: ChainedEntry & { hash: string }, state: { seq: number; hash: string }): ChainBreak | undefined {
  if (entry.seq !== state.seq + 1) return { seq: state.seq + 1, reason: 'sequence-gap' };
  if (entry.prevHash !== state.hash) return { seq: entry.seq, reason: 'previous-hash-mismatch' };
  if (hashEntry(entry) !== entry.hash) return { seq: entry.seq, reason: 'hash-mismatch' };
  state.seq = entry.seq;
  state.hash = entry.hash;
  return undefined;
}
