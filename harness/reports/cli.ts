/**
 * `npm run report [-- --out <dir>] [--baseline <old coverage.json>] [--project <dir>]`:
 * load the project, run every case and the cross-fire pass, and write the
 * coverage reports. Progress goes to stderr, the summary (and the baseline
 * diff) to stdout. Exit codes as the CLI's: 0 written, 2 bad input.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadAttackCatalog } from '../attack/catalog.ts';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { buildCoverageModel } from './build-model.ts';
import type { CoverageModel } from './model.ts';
import { parseCoverageJson } from './write-json.ts';
import { renderReports, writeReports } from './write-reports.ts';

export const USAGE = `usage: npm run report -- [options]

Writes coverage per MITRE ATT&CK technique, proven by the scenario tests:
  coverage.json         the source of truth (schema: harness/reports/coverage.schema.json)
  coverage.md           summary for a pull-request comment
  index.html            self-contained ATT&CK matrix heat map with drill-down
  navigator-layer.json  ATT&CK Navigator layer (format 4.5)
  junit.xml             one test case per scenario case, for CI
  baseline-diff.json    with --baseline: what changed since an older coverage.json

options:
  --out <dir>            where to write (default: reports)
  --baseline <file>      an older coverage.json to compare with
  --project <dir>        project root holding rules/ and scenarios/
                         (default: $RULE_HARNESS_PROJECT, else .)
  --rule-url <prefix>    link rules in the Navigator layer: <prefix><rule file>
  -h, --help             this text
`;

export interface ReportIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly now: () => Date;
}

const defaultIo: ReportIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), now: () => new Date() };

function readBaseline(file: string): CoverageModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read baseline: ${(e as Error).message}`, { cause: e });
  }
  return parseCoverageJson(text, file);
}

/** Progress every ~5% (and at the end), so long runs show life without flooding CI logs. */
function progress(io: ReportIo) {
  let last = -1;
  return (done: number, total: number) => {
    const pct = Math.floor((100 * done) / total);
    if (done === total || pct >= last + 5) {
      last = pct;
      io.err(`  ran ${done}/${total} rules (${pct}%)\n`);
    }
  };
}

export async function main(argv: readonly string[], io: ReportIo = defaultIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { out: { type: 'string' }, baseline: { type: 'string' }, project: { type: 'string' }, 'rule-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const root = values.project ?? process.env.RULE_HARNESS_PROJECT ?? '.';
  const outDir = resolve(values.out ?? join(root, 'reports'));
  try {
    const baseline = values.baseline ? readBaseline(values.baseline) : undefined;
    io.err(`loading rules and scenarios from ${resolve(root)}\n`);
    // Loaded on demand: `--help` and argument errors need no engine.
    const [{ loadProject }, { runAll, runInputOf }] = await Promise.all([import('../project/load-project.ts'), import('./run.ts')]);
    const project = loadProject({ root });
    const errors = project.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) io.err(`${errors.length} load error(s) (reported, not fatal):\n${errors.slice(0, 10).map((d) => `  ${formatDiagnostic(d)}`).join('\n')}\n`);
    const run = runAll(runInputOf(project), progress(io));
    const catalog = loadAttackCatalog();
    // The project loader already names files relative to the project root.
    const model = buildCoverageModel(run, catalog, io.now().toISOString());
    const ruleUrl = values['rule-url'];
    const reports = renderReports(model, catalog, { ...(baseline ? { baseline } : {}), ...(ruleUrl ? { navigator: { ruleUrl: (f: string) => `${ruleUrl}${f}` } } : {}) });
    for (const path of writeReports(outDir, reports)) io.err(`  wrote ${path}\n`);
    const t = model.totals;
    io.out(`${t.rulesTested} of ${t.rules} rules tested; ${t.techniquesTested} of ${t.techniquesWithRules} techniques with rules are tested; cases ${t.passing} passing, ${t.failing} failing, ${t.knownGap} known gaps\n`);
    if (reports.baseline) io.out(`\n${reports.baseline.text}`);
    return 0;
  } catch (e) {
    io.err(`report: ${(e as Error).message}\n`);
    return 2;
  }
}

/** Is this module the program being run (`tsx harness/reports/cli.ts`), rather than imported by a test or the CLI? */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await main(process.argv.slice(2));
