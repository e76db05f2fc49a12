import { describeFailure, type AppErrorLike } from './failure';
import { auditVerifyCommand } from './audit.commands';
import { createUserCommand, resetPasswordCommand } from './admin.commands';
import { backupCommand, backupVerifyCommand, restoreCommand } from './backup.commands';
import { helpOf, parseCommandArgs, type Command } from './commands';
import { exportVerifyCommand } from './export.commands';
import { keysEncryptCommand, keysRotateCommand, keysStatusCommand } from './keys.commands';
import { createOutput } from './output';
import { serveCommand } from './serve.command';

const commands: Command[] = [serveCommand, createUserCommand, resetPasswordCommand, auditVerifyCommand, keysStatusCommand, keysRotateCommand, keysEncryptCommand, backupCommand, backupVerifyCommand, restoreCommand, exportVerifyCommand];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'Usage: enclave <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary.split('. ')[0]}`),
    '',
    'Every command takes --help and --json.',
    '',
  ].join('\n');
}

/** Runs the CLI with the given arguments and returns the exit code. */
export async function main(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const json = argv.includes('--json');
  const command = [...commands].sort((a, b) => b.name.length - a.name.length).find((c) => argv.slice(0, c.name.split(' ').length).join(' ') === c.name);
  if (!command) {
    const asked = argv.filter((a) => !a.startsWith('--')).join(' ');
    if (argv.length === 0 || argv.includes('--help') || argv[0] === 'help') {
      write(overview());
      return argv.length === 0 ? 1 : 0;
    }
    return createOutput(json, write).fail('UNKNOWN_COMMAND', `unknown command "${asked}"; run enclave --help`);
  }
  const out = createOutput(json, write);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseCommandArgs(command, argv.slice(command.name.split(' ').length));
  } catch (error) {
    return out.fail('VALIDATION_FAILED', `${(error as Error).message}\n\n${helpOf(command)}`);
  }
  if (values.help) {
    write(helpOf(command));
    return 0;
  }
  try {
    return await command.run(values, out);
  } catch (error) {
    const failure = describeFailure(error as AppErrorLike);
    return out.fail(failure.code, failure.message);
  }
}
