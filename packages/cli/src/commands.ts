import { parseArgs } from 'node:util';
import type { Output } from './output';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
}

/** One CLI command: its help text is generated from the same option table it parses with. */
export interface Command {
  name: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** One positional argument (`enclave backup verify DIR`), handed to `run` under this name. */
  positional?: { name: string; description: string };
  run(values: Record<string, string | boolean | undefined>, out: Output): Promise<number>;
}

const commonOptions: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'print one JSON document instead of text' },
  help: { type: 'boolean', description: 'show this help' },
};

export function helpOf(command: Command): string {
  const options = { ...command.options, ...commonOptions };
  const width = Math.max(...Object.keys(options).map((name) => name.length)) + 4;
  const lines = Object.entries(options).map(([name, spec]) => `  --${name}${spec.type === 'string' ? ' <value>' : ''}`.padEnd(width + 12) + spec.description);
  const usage = `Usage: enclave ${command.name}${command.positional ? ` <${command.positional.name}>` : ''} [options]`;
  const positional = command.positional ? [`  <${command.positional.name}>`.padEnd(width + 12) + command.positional.description] : [];
  return [usage, '', command.summary, '', 'Options:', ...positional, ...lines, ''].join('\n');
}

export function parseCommandArgs(command: Command, args: string[]) {
  const options = Object.fromEntries(Object.entries({ ...command.options, ...commonOptions }).map(([name, spec]) => [name, { type: spec.type }]));
  const parsed = parseArgs({ args, options, strict: true, allowPositionals: command.positional !== undefined });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (!command.positional) return values;
  if (parsed.positionals.length > 1) throw new Error(`Unexpected argument '${parsed.positionals[1]}'`);
  return { ...values, [command.positional.name]: parsed.positionals[0] };
}
