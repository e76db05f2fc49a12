import { AuditCheckpoint } from '@enclave/protocol';
import { verifyAuditSignature, type AuditSigningKey } from './audit-signing-key';

/**
 * The exact text a checkpoint's signature covers. A versioned prefix keeps a checkpoint signature from being
 * mistaken for (or replayed as) anything else the audit key signs, such as an export manifest.
 */
export function checkpointSignedText(checkpoint: Omit<AuditCheckpoint, 'signature'>): string {
  return `enclave-audit-checkpoint/1 ${checkpoint.seq} ${checkpoint.headHash} ${checkpoint.at} ${checkpoint.keyId}`;
}

export function signCheckpoint(key: AuditSigningKey, anchor: { seq: number; headHash: string; at: number }): AuditCheckpoint {
  const unsigned = { seq: anchor.seq, headHash: anchor.headHash, at: new Date(anchor.at).toISOString(), keyId: key.keyId };
  return { ...unsigned, signature: key.sign(checkpointSignedText(unsigned)) };
}

export function checkpointSignatureValid(publicKeyPem: string, checkpoint: AuditCheckpoint): boolean {
  return verifyAuditSignature(publicKeyPem, checkpointSignedText(checkpoint), checkpoint.signature);
}

/** One line of the checkpoints file, or undefined when it is not a checkpoint at all. */
export function parseCheckpointLine(line: string): AuditCheckpoint | undefined {
  try {
    const parsed = AuditCheckpoint.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A checkpoint as one line of the file: a fixed field order, so lines from every server look alike. */
export function checkpointLine(checkpoint: AuditCheckpoint): string {
  const { seq, headHash, at, keyId, signature } = checkpoint;
  return `${JSON.stringify({ seq, headHash, at, keyId, signature })}\n`;
}
