import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { checkpointSignatureValid, parseCheckpointLine } from './audit-checkpoint';
import { entryHashesAt, lastEntry } from './audit-checkpoints.repository';
import { AuditKeyError, auditKeyFilePath, publicKeyId, type AuditKeySource } from './audit-signing-key';
import { verifyAuditLog, type AuditVerification } from './audit.service';

/**
 * What can be wrong with a checkpoint line: not a checkpoint at all; signed by another key than the one given;
 * a signature that does not match its fields (a forged or edited line); no entry at its sequence number (the log
 * was cut short below it, or entries were removed and the rest renumbered); or an entry there with another hash
 * (rewritten, even if every later hash was recomputed).
 */
export type CheckpointProblemReason = 'unreadable-line' | 'other-key' | 'bad-signature' | 'entry-missing' | 'hash-differs';

export interface CheckpointProblem {
  /** The line of the checkpoints file, from 1. */
  line: number;
  seq?: number;
  reason: CheckpointProblemReason;
}

export interface CheckpointVerification {
  ok: boolean;
  /** The chain on its own, as `verifyAuditLog` finds it. */
  chain: AuditVerification;
  checkpoints: number;
  /** The highest sequence number a valid checkpoint vouches for, or null when none is valid. */
  anchoredSeq: number | null;
  /** The log's newest stored entry (0 when empty). */
  lastSeq: number;
  problems: CheckpointProblem[];
}

/**
 * Verifies the chain as `enclave audit verify` always did, and then every checkpoint in `fileText` against it:
 * its signature with `publicKeyPem`, and that the stored entry at its sequence number has exactly its hash.
 * The chain alone cannot tell a consistent rewrite from the original; a checkpoint signed with a key the database
 * never held can.
 */
export async function verifyAuditCheckpoints(db: Kysely<Database>, fileText: string, publicKeyPem: string): Promise<CheckpointVerification> {
  const chain = await verifyAuditLog(db);
  const keyId = publicKeyId(publicKeyPem);
  const problems: CheckpointProblem[] = [];
  const signed: Array<{ line: number; seq: number; headHash: string }> = [];
  const lines = fileText.split('\n');
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    const line = index + 1;
    const checkpoint = parseCheckpointLine(text);
    if (!checkpoint) problems.push({ line, reason: 'unreadable-line' });
    else if (checkpoint.keyId !== keyId) problems.push({ line, seq: checkpoint.seq, reason: 'other-key' });
    else if (!checkpointSignatureValid(publicKeyPem, checkpoint)) problems.push({ line, seq: checkpoint.seq, reason: 'bad-signature' });
    else signed.push({ line, seq: checkpoint.seq, headHash: checkpoint.headHash });
  });
  const stored = await entryHashesAt(db, [...new Set(signed.map((checkpoint) => checkpoint.seq))]);
  for (const checkpoint of signed) {
    const hash = stored.get(checkpoint.seq);
    if (hash === undefined) problems.push({ line: checkpoint.line, seq: checkpoint.seq, reason: 'entry-missing' });
    else if (hash !== checkpoint.headHash) problems.push({ line: checkpoint.line, seq: checkpoint.seq, reason: 'hash-differs' });
  }
  problems.sort((a, b) => a.line - b.line);
  const anchoredSeq = signed.length === 0 ? null : Math.max(...signed.map((checkpoint) => checkpoint.seq));
  return {
    ok: chain.ok && problems.length === 0,
    chain,
    checkpoints: lines.filter((text) => text.trim() !== '').length,
    anchoredSeq,
    lastSeq: (await lastEntry(db))?.seq ?? 0,
    problems,
  };
}

/**
 * The audit public key as PEM, from `file` (a public key, or the private key it belongs to) or else from the
 * installation's own audit key file. Reading never creates a key, unlike starting a server.
 */
export function readAuditPublicKey(source: AuditKeySource, file?: string): string {
  const keyFile = file ?? auditKeyFilePath(source);
  let text: string;
  try {
    text = readFileSync(keyFile, 'utf8');
  } catch (error) {
    throw new AuditKeyError(`cannot read the audit key ${keyFile}: ${(error as Error).message}`);
  }
  try {
    const key = createPublicKey(text);
    if (key.asymmetricKeyType !== 'ed25519') throw new AuditKeyError(`${keyFile} holds a ${key.asymmetricKeyType} key; the audit key is Ed25519`);
    return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch (error) {
    if (error instanceof AuditKeyError) throw error;
    throw new AuditKeyError(`${keyFile} does not hold an Ed25519 key: ${(error as Error).message}`);
  }
}
