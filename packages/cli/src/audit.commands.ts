import { verifyAuditLog } from '@enclave/server';
import type { Command } from './commands';
import { withDatabase } from './offline';

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'Recompute the audit log hash chain from the first entry and name the first broken entry, if any. Exits 1 when the chain is broken.',
  options: {},
  async run(_values, out) {
    const result = await withDatabase((database) => verifyAuditLog(database.db));
    const lines = result.ok
      ? [`Audit log intact: ${result.entries} entries, head ${result.headHash}.`]
      : [`Audit log BROKEN at entry ${result.firstBreak!.seq} (${result.firstBreak!.reason}); ${result.entries} entries verified before it.`];
    out.result(result, lines);
    return result.ok ? 0 : 1;
  },
};
