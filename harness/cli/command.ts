import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit codes of the CLI contract (design.md). */
export const EXIT = { ok: 0, failures: 1, badInput: 2 } as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** The command parses its own arguments (it passes unknown ones on to another tool). */
  readonly rawArgs?: boolean;
  run(args: CommandArgs, io: Io): Promise<number> | number;
}

export interface CommandArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
  /** The arguments after the command name, unparsed. */
  readonly argv: readonly string[];
}

export class UsageError extends Error {}

/** Every value of a `multiple: true` string option, in order (none when absent). */
export function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

export function parseCommandArgs(cmd: Command, argv: string[]): CommandArgs {
  if (cmd.rawArgs) return { values: {}, positionals: [], argv };
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals, argv };
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${cmd.usage}`);
  }
}
