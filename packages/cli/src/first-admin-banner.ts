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
 * The terminal to show a secret on, if any. Standard output carries the JSON log; when it is piped into a log
 * collector, standard error may still be the operator's terminal. When neither is a terminal, nothing is.
 */
export function terminalOf(streams: ProcessStreams): Terminal | undefined {
  if (streams.stdout.isTTY) return streams.stdout;
  if (streams.stderr.isTTY) return streams.stderr;
  return undefined;
}

/** Where the CLI writes its log records: the server's own logger, so they join the same JSON stream. */
interface LogRecorder {
  info(record: object, message: string): void;
}

/**
 * The first start's news: a log record without the password, for the log collector, and the password once on the
 * terminal, for the person who started the server. A log keeps what it is given for as long as it is kept, and is
 * read by more people than the one who will sign in first; so with no terminal the generated password is shown
 * nowhere and the record says how to set one instead.
 */
export function announceFirstAdmin(log: LogRecorder, admin: FirstAdmin, terminal: Terminal | undefined): void {
  const username = admin.user.username;
  const record = { firstAdmin: { username, passwordSource: admin.generated ? 'generated' : 'ENCLAVE_ADMIN_PASSWORD', passwordShown: admin.generated && terminal ? 'terminal' : 'nowhere' } };
  if (!admin.generated) log.info(record, 'First start: an administrator account was created with the password given in ENCLAVE_ADMIN_PASSWORD');
  else if (terminal) log.info(record, 'First start: an administrator account was created; its generated password is shown once on the terminal, never in the log');
  else log.info(record, `First start: an administrator account was created; no terminal was attached to show its generated password, so set one with \`enclave admin reset-password --username ${username}\``);
  if (!terminal) return;
  terminal.write(
    [
      '',
      'First start: an administrator account was created.',
      `  username: ${username}`,
      admin.generated ? `  password: ${admin.password}` : '  password: the one given in ENCLAVE_ADMIN_PASSWORD',
      ...(admin.generated ? ['This password is shown only this once. Sign in and keep it safe.'] : []),
      '',
      '',
    ].join('\n'),
  );
}
