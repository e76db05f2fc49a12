import type { RunningServer } from '@enclave/server';

type FirstAdmin = NonNullable<RunningServer['firstAdmin']>;

/** Something a person reads: a stream of this process that is a terminal. */
export interface Terminal {
  write(text: string): unknown;
}

interface ProcessStreams {
  stdout: Terminal & { isTTY?: boolean };
  stderr: Terminal & { isTTY?: boolean };
}

/**
 * Where to show the first admin's generated password: the terminal if there is one (standard output carries the
 * JSON log; when it is piped into a log collector, standard error may still be the operator's terminal), and
 * otherwise standard error, as plain text outside the JSON log. It must be shown somewhere, or nobody could sign
 * in after `npm start` under a service manager; and it is safe to: the password works once, to sign in and choose
 * a new one, so whoever finds it in a journal later finds a spent password.
 */
export function passwordOutletOf(streams: ProcessStreams): { stream: Terminal; kind: 'terminal' | 'stderr' } {
  if (streams.stdout.isTTY) return { stream: streams.stdout, kind: 'terminal' };
  if (streams.stderr.isTTY) return { stream: streams.stderr, kind: 'terminal' };
  return { stream: streams.stderr, kind: 'stderr' };
}

/** Where the CLI writes its log records: the server's own logger, so they join the same JSON stream. */
interface LogRecorder {
  info(record: object, message: string): void;
}

/**
 * The first start's news: a log record without the password, for the log collector, and the password once on the
 * outlet, for the person who started the server (see `passwordOutletOf`).
 */
export function announceFirstAdmin(log: LogRecorder, admin: FirstAdmin, outlet: { stream: Terminal; kind: 'terminal' | 'stderr' }): void {
  const username = admin.user.username;
  const record = { firstAdmin: { username, passwordSource: admin.generated ? 'generated' : 'ENCLAVE_ADMIN_PASSWORD', passwordShown: admin.generated ? outlet.kind : 'nowhere' } };
  if (!admin.generated) {
    log.info(record, 'First start: an administrator account was created with the password given in ENCLAVE_ADMIN_PASSWORD');
    return;
  }
  log.info(record, `First start: an administrator account was created; its one-time password is shown once on ${outlet.kind === 'terminal' ? 'the terminal' : 'standard error'}, never in the log`);
  outlet.stream.write(
    [
      '',
      'First start: an administrator account was created.',
      `  username: ${username}`,
      `  password: ${admin.password}`,
      'This password is shown only this once and works once: sign in with it, then choose your own.',
      '',
      '',
    ].join('\n'),
  );
}
