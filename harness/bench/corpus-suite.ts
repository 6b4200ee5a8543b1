import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerHeapNodeOptions } from '../cli/commands/test.ts';
import { buildCorpusProject } from './corpus-project.ts';
import type { RunResult } from './workloads.ts';

const ROOT = join(import.meta.dirname, '../..');
/** The memory target for the suite at corpus size (1.5 GB). */
const TARGET_PEAK_MB = 1536;

/**
 * `corpus-suite`: a rule repository of corpus size under test, as a team
 * adopting rule-harness would run it. Prepared (untimed): the SigmaHQ and
 * Elastic corpus rules copied into a temporary project, every scenario drafted
 * by bulk scaffolding (`scaffold --all-missing`). Timed: the rule suite over it
 * (vitest with the project's config: every case's verdict, cross-fire, variants
 * and near misses), in its own process, whose peak memory is read from
 * /proc while it runs. Reports rules, cases and failures; ok only with none.
 */
interface JsonReport {
  readonly testResults: readonly { readonly name: string; readonly assertionResults: readonly { readonly ancestorTitles: readonly string[]; readonly title: string; readonly status: string }[] }[];
}

/** Peak resident memory (VmHWM) of a running process, in MB; 0 when unreadable (not Linux). */
export function highWaterMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Vitest over `files` (the suite's own test files) with the temporary project, in a child process whose peak memory is sampled. */
export function runSuite(project: string, report: string, files: readonly string[] = ['harness/suite/parts', 'harness/suite/generated.test.ts']): Promise<{ code: number | null; peakMb: number; tail: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))), RULE_HARNESS_PROJECT: project };
    // The suite as `npm test -- --worker-heap <MB>` runs it (README, "At corpus size").
    const heap = process.env.RULE_HARNESS_WORKER_HEAP_MB;
    if (heap !== undefined) {
      if (!/^\d+$/.test(heap) || Number(heap) < 128) throw new Error(`RULE_HARNESS_WORKER_HEAP_MB takes a whole number of megabytes, at least 128 (got '${heap}')`);
      env.NODE_OPTIONS = workerHeapNodeOptions(Number(heap));
    }
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...files, '--reporter=json', `--outputFile=${report}`], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let peakMb = 0;
    let tail = '';
    child.stderr.on('data', (b: Buffer) => (tail = (tail + b.toString()).slice(-2000)));
    const timer = setInterval(() => (peakMb = Math.max(peakMb, highWaterMb(child.pid!))), 200);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, peakMb, tail });
    });
  });
}

/**
 * The corpus repository in a temporary folder (removed at exit) with every scenario drafted by
 * `scaffold --all-missing`. With RULE_HARNESS_CORPUS_REPO=<dir>, the drafted repository is
 * kept there (built on first use) and each workload works on a fresh copy of it, so repeated
 * measurements skip the minute or two of preparation.
 */
export function scaffoldedCorpusRepository(name: string): { dir: string; scaffoldNote: string } {
  const dir = mkdtempSync(join(tmpdir(), `rule-harness-${name}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const kept = process.env.RULE_HARNESS_CORPUS_REPO;
  if (kept && existsSync(join(kept, 'scenarios'))) {
    cpSync(kept, dir, { recursive: true });
    return { dir, scaffoldNote: `repository copied from ${kept}` };
  }
  const built = draftCorpusRepository(name, kept ?? dir);
  if (kept) cpSync(kept, dir, { recursive: true });
  return { dir, scaffoldNote: built };
}

/** Build the corpus repository in `dir` and draft its scenarios; the scaffold note. */
function draftCorpusRepository(name: string, dir: string): string {
  const { leftOut } = buildCorpusProject(dir);
  if (leftOut.length) process.stderr.write(`${name}: left out ${leftOut.length} Elastic rule(s) reusing a SigmaHQ rule's id: ${leftOut.join(', ')}\n`);
  const t0 = Date.now();
  const scaffold = spawnSync(process.execPath, [join(ROOT, 'harness/cli/bin.js'), 'scaffold', '--all-missing'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (scaffold.status !== 0) throw new Error(`scaffold --all-missing failed: ${scaffold.stderr.slice(-500)}`);
  const scaffoldNote = `scaffold ${((Date.now() - t0) / 1000).toFixed(0)} s: ${scaffold.stdout.trim().split('\n').pop()?.replace(/^scaffold: /, '') ?? ''}`;
  process.stderr.write(`${name}: ${scaffoldNote}\n`);
  return scaffoldNote;
}

export async function corpusSuiteWorkload(): Promise<() => Promise<RunResult>> {
  const { dir, scaffoldNote } = scaffoldedCorpusRepository('corpus-suite');
  return async () => {
    const report = join(dir, 'vitest.json');
    const run = await runSuite(dir, report);
    let r: JsonReport;
    try {
      r = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    } catch {
      return { units: 0, ok: false, note: `the suite wrote no report (exit ${run.code}): ${run.tail.trim().split('\n').slice(-3).join(' ')}`, peakRssMb: run.peakMb };
    }
    const tests = r.testResults.filter((f) => /[\\/]parts[\\/]/.test(f.name)).flatMap((f) => f.assertionResults).filter((a) => a.ancestorTitles.length > 0 && a.ancestorTitles[0] !== 'load');
    const rules = new Set(tests.map((a) => a.ancestorTitles[0])).size;
    const failed = r.testResults.flatMap((f) => f.assertionResults).filter((a) => a.status === 'failed');
    const failedRules = new Set(failed.map((a) => a.ancestorTitles[0] ?? a.title)).size;
    return {
      units: tests.length,
      ok: failed.length === 0 && run.code === 0,
      note: `${rules} rules, ${tests.length} cases, ${failed.length} failed (${failedRules} rules); suite peak ${run.peakMb} MB (target ≤ ${TARGET_PEAK_MB} MB; wall target ≤ 300 s); ${scaffoldNote}`,
      peakRssMb: run.peakMb,
    };
  };
}
