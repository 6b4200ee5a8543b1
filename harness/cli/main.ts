import { HarnessError, formatDiagnostic } from '../core/diagnostics.ts';
import { EXIT, UsageError, parseCommandArgs, type Command, type Io } from './command.ts';
import { acceptCommand } from './commands/accept.ts';
import { explainCommand } from './commands/explain.ts';
import { generateCommand } from './commands/generate.ts';
import { lintCommand } from './commands/lint.ts';
import { matchCommand } from './commands/match.ts';
import { scaffoldCommand } from './commands/scaffold.ts';
import { mutateCommand } from './commands/mutate.ts';
import { queryCommand } from './commands/query.ts';
import { reviewCommand } from './commands/review.ts';
import { testCommand } from './commands/test.ts';

const COMMANDS: readonly Command[] = [testCommand, matchCommand, queryCommand, explainCommand, lintCommand, reviewCommand, mutateCommand, generateCommand, scaffoldCommand, acceptCommand];

// A reader that stops early (`| head`) closes the pipe: that ends the output, it is not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
    throw e;
  });
}

const stdio: Io = { out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`), err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`) };

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'rule-harness — regression tests for detection rules (Sigma, Elastic)',
    '',
    'Usage: rule-harness <command> [options]      (rule-harness <command> --help for more)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'The regression suite itself runs with `npm test`.',
    'Exit codes: 0 success, 1 test/verdict failures, 2 bad input.',
  ].join('\n');
}

/** Run the CLI; returns the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`unknown command '${name}'\n\n${help()}`);
    return EXIT.badInput;
  }
  try {
    const args = parseCommandArgs(cmd, rest);
    if (args.values.help) {
      io.out(cmd.usage);
      return EXIT.ok;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) io.err(e.message);
    else if (e instanceof HarnessError) io.err(e.diagnostics.map(formatDiagnostic).join('\n'));
    else throw e;
    return EXIT.badInput;
  }
}
