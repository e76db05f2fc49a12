import { ConfigError, encryptInPlace, readKeysStatus, rotateMasterKey, upgradeSteps, type KeysStatus } from '@enclave/server';
import type { Command } from './commands';
import { withKeys } from './offline';
import { createProgress } from './progress';

export const keysStatusCommand: Command = {
  name: 'keys status',
  summary:
    'Show where the master key comes from and its id, the data keys per master key, the counts of room, file and installation keys, the progress of encrypting content from before encryption, and the retired master keys.',
  options: {},
  async run(_values, out) {
    const status = await withKeys(({ database, keys, config }) =>
      readKeysStatus(database.db, keys.masterKeys, { encrypting: keys.encrypting, acceptsPlain: keys.acceptsPlain, steps: upgradeSteps(config) }),
    );
    out.result(status, statusLines(status));
    return 0;
  },
};

export const keysRotateCommand: Command = {
  name: 'keys rotate',
  summary:
    'Generate a new master key and re-wrap every data key under it while the servers keep running; then retire the old key. Run it again to resume a rotation that was interrupted.',
  options: {
    'new-key-file': { type: 'string', description: 'with ENCLAVE_MASTER_KEY only: where to write the new key file (mode 0600)' },
  },
  async run(values, out) {
    const progress = createProgress({ json: out.json });
    let started = false;
    const report = await withKeys(({ database, config }) =>
      rotateMasterKey(database.db, config, {
        ...(typeof values['new-key-file'] === 'string' ? { newKeyFile: values['new-key-file'] } : {}),
        onProgress: (done, total) => {
          if (!started) progress.start('re-wrapping data keys', total);
          started = true;
          progress.update(done);
        },
      }),
    );
    if (started) progress.stop();
    out.result(report, [
      `Master key ${report.masterKeyId} is now current (${report.keyFile}); ${report.rewrapped} data keys re-wrapped.`,
      report.finished
        ? report.previous.length > 0
          ? `Retired: ${report.previous.join(', ')}. Replace every copy of the old key you kept with the new key file, outside this machine and outside backups.`
          : 'Nothing to retire.'
        : (report.next ?? ''),
    ]);
    return 0;
  },
};

export const keysEncryptCommand: Command = {
  name: 'keys encrypt',
  summary:
    'Encrypt the content an installation stored before encryption, in batches, now (a running server does the same in the background). Safe to run beside running servers and to interrupt: a later run resumes.',
  options: {},
  async run(_values, out) {
    const progress = createProgress({ json: out.json });
    let current: string | undefined;
    const report = await withKeys(({ database, keys, config }) => {
      if (!keys.encrypting) throw new ConfigError('ENCLAVE_ENCRYPTION: encryption is off, so there is nothing to encrypt with; unset it and run this again.');
      return encryptInPlace(database.db, keys, upgradeSteps(config), {
        onProgress: (step) => {
          if (step.step !== current) {
            if (current !== undefined) progress.stop();
            current = step.step;
            progress.start(step.step, step.total);
          }
          progress.update(step.sealed);
        },
      });
    });
    if (current !== undefined) progress.stop();
    const sealed = report.steps.reduce((sum, step) => sum + step.sealed, 0);
    out.result(report, [
      ...report.steps.map((step) => `${step.step}: ${step.sealed} sealed, ${step.remaining} left`),
      report.complete ? `Encryption complete: ${sealed} items sealed; no plain content is left.` : `${sealed} items sealed; some content is still plain: run this again.`,
    ]);
    return report.complete ? 0 : 1;
  },
};

function statusLines(status: KeysStatus): string[] {
  const lines = [
    `Master key: ${status.masterKey.id} from ${status.masterKey.source}`,
    ...(status.masterKey.previous.length > 0 ? [`  also in the key file (a rotation in progress): ${status.masterKey.previous.join(', ')} — run "enclave keys rotate" to finish it`] : []),
    `Data keys: ${status.dataKeys.total} (rooms ${status.dataKeys.rooms}, files ${status.dataKeys.files}, installation ${status.dataKeys.installation})`,
    ...status.dataKeys.byMasterKey.map((row) => `  ${row.count} wrapped by ${row.masterKeyId} (${row.state})`),
    `Encryption: ${!status.encryption.on ? 'off (ENCLAVE_ENCRYPTION=off)' : status.encryption.complete ? 'complete' : 'upgrading content from before encryption'}`,
    ...status.encryption.steps.map((step) => `  ${step.step}: ${step.remaining} still plain`),
    `Retired master keys: ${status.retired.length === 0 ? 'none' : status.retired.length}`,
    ...status.retired.map((row) => `  ${row.masterKeyId} retired ${row.retiredAt}`),
  ];
  return lines;
}
