import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditCheckpoint } from '@enclave/protocol';
import { checkpointLine } from './audit-checkpoint';

export const AUDIT_CHECKPOINTS_FILE = 'audit-checkpoints.jsonl';

export interface CheckpointFileSource {
  /** ENCLAVE_AUDIT_CHECKPOINTS_FILE; otherwise `audit-checkpoints.jsonl` in the data directory. */
  auditCheckpointsFile?: string | undefined;
  dataDir: string;
}

export function checkpointFilePath(source: CheckpointFileSource): string {
  return path.resolve(source.auditCheckpointsFile ?? path.join(source.dataDir, AUDIT_CHECKPOINTS_FILE));
}

/**
 * Appends one checkpoint line and waits until it is on disk: the file is the anchor that survives a rewritten
 * database, so a checkpoint counts only once fsync returns. Append mode writes each short line whole, so
 * servers sharing the file never interleave their lines.
 */
export async function appendCheckpoint(file: string, checkpoint: AuditCheckpoint): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'a', 0o644);
  try {
    await handle.write(checkpointLine(checkpoint));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The whole file as text; empty before the first checkpoint. */
export async function readCheckpointFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
