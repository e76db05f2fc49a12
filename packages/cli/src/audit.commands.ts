import { readFile } from 'node:fs/promises';
import { readAuditPublicKey, verifyAuditCheckpoints, verifyAuditLog, type AuditVerification, type CheckpointProblem, type CheckpointVerification } from '@enclave/server';
import type { Command } from './commands';
import { withDatabase } from './offline';

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary:
    'Recompute the audit log hash chain from the first entry and name the first broken entry, if any. With --checkpoints, also check every signed checkpoint in that file against the log, which catches a log rewritten consistently, cut short or renumbered. Exits 1 when anything is wrong.',
  options: {
    checkpoints: { type: 'string', description: 'a copy of audit-checkpoints.jsonl, kept outside the database' },
    'public-key': { type: 'string', description: 'the audit public key (PEM) to check checkpoints with; default: the installation\'s audit key file' },
  },
  async run(values, out) {
    const checkpointsFile = typeof values.checkpoints === 'string' ? values.checkpoints : undefined;
    const publicKeyFile = typeof values['public-key'] === 'string' ? values['public-key'] : undefined;
    if (publicKeyFile && !checkpointsFile) return out.fail('VALIDATION_FAILED', '--public-key checks checkpoints: give --checkpoints FILE as well');
    if (!checkpointsFile) {
      const result = await withDatabase((database) => verifyAuditLog(database.db));
      out.result(result, [chainLine(result)]);
      return result.ok ? 0 : 1;
    }
    let fileText: string;
    try {
      fileText = await readFile(checkpointsFile, 'utf8');
    } catch (error) {
      return out.fail('CHECKPOINTS_UNREADABLE', `cannot read ${checkpointsFile}: ${(error as Error).message}`);
    }
    const result = await withDatabase((database, config) => verifyAuditCheckpoints(database.db, fileText, readAuditPublicKey(config, publicKeyFile)));
    out.result(result, checkpointLines(result));
    return result.ok ? 0 : 1;
  },
};

function chainLine(result: AuditVerification): string {
  return result.ok
    ? `Audit log intact: ${result.entries} entries, head ${result.headHash}.`
    : `Audit log BROKEN at entry ${result.firstBreak!.seq} (${result.firstBreak!.reason}); ${result.entries} entries verified before it.`;
}

const problemWords: Record<CheckpointProblem['reason'], string> = {
  'unreadable-line': 'is not a checkpoint',
  'other-key': 'is signed with another key than the one given',
  'bad-signature': 'has a signature that does not match it (forged or edited)',
  'entry-missing': 'anchors an entry the log no longer has (cut short, or entries removed and renumbered)',
  'hash-differs': 'anchors an entry whose hash is now different (rewritten)',
};

function checkpointLines(result: CheckpointVerification): string[] {
  const lines = [chainLine(result.chain)];
  for (const problem of result.problems) {
    lines.push(`Checkpoint on line ${problem.line}${problem.seq === undefined ? '' : ` (entry ${problem.seq})`} ${problemWords[problem.reason]}.`);
  }
  if (result.problems.length === 0) {
    lines.push(
      result.anchoredSeq === null
        ? `No valid checkpoint in the file (${result.checkpoints} lines).`
        : `${result.checkpoints} checkpoints match the log; the newest anchors entry ${result.anchoredSeq} of ${result.lastSeq}.`,
    );
  } else {
    lines.push(`Checkpoints FAILED: ${result.problems.length} of ${result.checkpoints} do not match.`);
  }
  return lines;
}
