import { spawn } from 'node:child_process';
import { loadProject } from '../../project/load-project.ts';
import { changeScope, gitChangedFiles } from '../../review/changed-scope.ts';
import { EXIT, UsageError, type Command, type Io } from '../command.ts';
import { acceptCommand } from './accept.ts';

const usage = `Usage: rule-harness test [--changed [<git ref>]] [--strict] [--update-also-fires] [--worker-heap <MB>] [vitest options]
       npm test [-- --changed [<git ref>]] [-- --update-also-fires]

Without --changed: type-check, lint, and run the whole suite (what \`npm test\` does).
With --changed: run only the cases of the rules and scenarios changed since the ref
(default HEAD; uncommitted and untracked files count), plus the cross-fire checks that
involve those rules. When harness code or dependencies changed, the full suite runs.

  --strict             rules without scenarios fail (RULE_HARNESS_STRICT=1)
  --update-also-fires  first write the also_fires declarations the cross-fire pass calls
                       for and drop stale ones (\`rule-harness accept\`), listing each change
  --worker-heap <MB>   cap each test worker's V8 heap (--max-old-space-size) outright; by
                       default heaps grow 15 % past what they keep live (vitest.config.ts:
                       5,830 rules in 1.5 GB), a cap holds a larger repository lower
Other options (e.g. -t "<rule title>") are passed to vitest.`;

/** NODE_OPTIONS with each V8 heap capped at `mb` (the flag holds for vitest's worker threads too). */
export function workerHeapNodeOptions(mb: number, current = process.env.NODE_OPTIONS): string {
  return `${current ?? ''} --max-old-space-size=${mb}`.trim();
}

/** Split our own flags from the ones passed through to vitest. */
function parse(argv: readonly string[]): { changed?: string; strict: boolean; update: boolean; help: boolean; heapMb?: number; rest: string[] } {
  const rest: string[] = [];
  let heapMb: number | undefined;
  let changed: string | undefined;
  let strict = false;
  let update = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--changed') {
      const next = argv[i + 1];
      changed = next && !next.startsWith('-') ? (i++, next) : 'HEAD';
    } else if (a.startsWith('--changed=')) changed = a.slice('--changed='.length);
    else if (a === '--strict') strict = true;
    else if (a === '--update-also-fires') update = true;
    else if (a === '--worker-heap' || a.startsWith('--worker-heap=')) {
      const text = a.includes('=') ? a.slice(a.indexOf('=') + 1) : (argv[++i] ?? '');
      heapMb = Number(text);
      if (!/^\d+$/.test(text) || heapMb < 128) throw new UsageError(`--worker-heap takes a whole number of megabytes, at least 128 (got '${text}')`);
    } else if (a === '--help' || a === '-h') help = true;
    else rest.push(a);
  }
  return { ...(changed !== undefined ? { changed } : {}), ...(heapMb !== undefined ? { heapMb } : {}), strict, update, help, rest };
}

/** Run a command with its output captured; printed as one block when it ends, so parallel runs do not interleave. */
function runCaptured(io: Io, cmd: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('close', (code) => {
      io.err(`$ ${cmd} ${args.join(' ')}${output.trim() ? `\n${output.trimEnd()}` : ''}`);
      resolve(code === 0);
    });
  });
}

/**
 * Type-check, lint and the suite side by side: the suite's workers leave cores idle at its
 * start and end, which the type-check and lint fill. Their output is printed as a block each.
 */
async function fullRun(io: Io, rest: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // Both keep a cache in node_modules/.cache (content-checked), so a re-run checks only what changed.
  const checks = Promise.all([
    runCaptured(io, 'npx', ['--no-install', 'tsc', '--noEmit', '--incremental', '--tsBuildInfoFile', 'node_modules/.cache/rule-harness/tsbuildinfo']),
    runCaptured(io, 'npx', ['--no-install', 'eslint', '--cache', '--cache-strategy', 'content', '--cache-location', 'node_modules/.cache/rule-harness/eslint', '.']),
  ]);
  const suite = runInherited(io, 'npx', ['--no-install', 'vitest', 'run', ...rest], env);
  const [[typed, linted], passed] = await Promise.all([checks, suite]);
  if (!typed) io.err('type-check failed (tsc output above)');
  if (!linted) io.err('lint failed (eslint output above)');
  return typed && linted && passed ? EXIT.ok : EXIT.failures;
}

/** A command with the terminal as its output, not waited on synchronously. */
function runInherited(io: Io, cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  io.err(`$ ${cmd} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('close', (code) => resolve(code === 0));
    child.on('error', () => resolve(false));
  });
}

export const testCommand: Command = {
  name: 'test',
  summary: 'run the regression suite (all of it, or only what a change touched)',
  usage,
  options: {},
  // Parsed by hand: unknown options go to vitest, and --changed takes an optional value.
  rawArgs: true,
  async run({ argv }, io) {
    const opts = parse(argv);
    if (opts.help) {
      io.out(usage);
      return EXIT.ok;
    }
    // Only on request, never in a normal run: the run after it checks the result.
    if (opts.update && (await acceptCommand.run({ values: { check: false }, positionals: [], argv: [] }, io)) !== EXIT.ok) return EXIT.failures;
    const env: NodeJS.ProcessEnv = {
      ...(opts.strict ? { RULE_HARNESS_STRICT: '1' } : {}),
      ...(opts.heapMb !== undefined ? { NODE_OPTIONS: workerHeapNodeOptions(opts.heapMb) } : {}),
    };
    if (opts.changed === undefined) return fullRun(io, opts.rest, env);
    const project = loadProject();
    const scope = changeScope(gitChangedFiles(opts.changed, process.env.RULE_HARNESS_PROJECT ?? process.cwd()), project.rules.rules, project.scenarios);
    if (scope.kind === 'full') {
      io.err(`${scope.reason} since ${opts.changed}: running the full suite`);
      return fullRun(io, opts.rest, env);
    }
    if (scope.ruleIds.length === 0) {
      io.out(`no rule or scenario changed since ${opts.changed}: nothing to run`);
      return EXIT.ok;
    }
    io.err(`changed since ${opts.changed}: ${scope.files.join(', ')} → rules ${scope.ruleIds.join(', ')}`);
    const only = { ...env, RULE_HARNESS_ONLY: scope.ruleIds.join(',') };
    return runInherited(io, 'npx', ['--no-install', 'vitest', 'run', 'harness/suite/parts', 'harness/suite/pipelines.test.ts', ...opts.rest], only).then((ok) => (ok ? EXIT.ok : EXIT.failures));
  },
};
