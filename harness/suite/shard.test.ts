/**
 * The suite spreads over CI machines: `vitest run --shard=i/n` on each, each
 * writing a JSON report, merged on one by merge-shard-reports.ts (the recipe
 * in docs/ci/github-actions.yml). Runs a slice of the suite that way (the
 * rule suite over a small copy of the project, and two engine test files, in
 * two shards) and checks that the
 * merged report has exactly the tests of an unsharded run, each run once, and
 * that both shards got rules.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterAll, expect, test } from 'vitest';
import type { JsonReport } from './merge-shard-reports.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const files = ['harness/suite/parts', 'harness/engines/common/cidr.test.ts', 'harness/engines/common/pattern-matcher.test.ts'];
const dir = mkdtempSync(join(tmpdir(), 'rule-harness-shard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small rule project (the shipped Linux and cloud Sigma rules with their scenarios), so the nested runs stay quick. */
const project = join(dir, 'project');
for (const sub of ['rules/sigma/linux', 'rules/sigma/cloud', 'scenarios/sigma/linux', 'scenarios/sigma/cloud']) cpSync(join(root, sub), join(project, sub), { recursive: true });
cpSync(join(root, 'harness.config.yml'), join(project, 'harness.config.yml'));

/** The nested runs must not think they are this run's workers. */
const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS')), RULE_HARNESS_PROJECT: project };
const node = (args: string[]) => run(process.execPath, args, { cwd: root, env, maxBuffer: 1 << 26 });
const vitest = (args: string[]) => node([join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', ...args]);
const read = (file: string): JsonReport => JSON.parse(readFileSync(file, 'utf8')) as JsonReport;

/** `file › full name → status` of every test that ran (skipped ones did not; an empty part's placeholder depends on the shard). */
function ran(report: JsonReport): string[] {
  return report.testResults
    .flatMap((f) => f.assertionResults.filter((a) => a.status !== 'skipped' && a.status !== 'pending' && !a.fullName.includes('no tested rule of this run hashes here')).map((a) => `${f.name.slice(root.length + 1)} › ${a.fullName} → ${a.status}`))
    .sort();
}

test('two shards, merged, are exactly the unsharded run, and each shard has its own rules', async () => {
  const shard = (i: number) => join(dir, `shard-${i}.json`);
  await Promise.all([vitest([`--outputFile=${join(dir, 'whole.json')}`, ...files]), ...[1, 2].map((i) => vitest([`--shard=${i}/2`, `--outputFile=${shard(i)}`, ...files]))]);
  const merged = join(dir, 'merged.json');
  await node(['--import', 'tsx', join(root, 'harness/suite/merge-shard-reports.ts'), merged, shard(1), shard(2)]);

  const whole = ran(read(join(dir, 'whole.json')));
  expect(whole.filter((t) => t.startsWith(files[0]!)).length).toBeGreaterThan(30);
  expect(ran(read(merged))).toEqual(whole);
  const total = (file: string): unknown => read(file).numTotalTests;
  expect(total(merged)).toBe(Number(total(shard(1))) + Number(total(shard(2))));

  const rulesOf = (i: number): string[] => ran(read(shard(i))).filter((t) => t.startsWith(files[0]!) && !t.includes(' › load '));
  const [a, b] = [rulesOf(1), rulesOf(2)];
  expect(a.length).toBeGreaterThan(0);
  expect(b.length).toBeGreaterThan(0);
  expect(a.filter((t) => b.includes(t))).toEqual([]);
}, 120_000);

test('the CI recipe is valid YAML and shards and merges this way', () => {
  const text = readFileSync(join(root, 'docs/ci/github-actions.yml'), 'utf8');
  const doc = load(text) as { jobs: Record<string, { steps: { run?: string }[] }> };
  const runs = Object.values(doc.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? [s.run] : [])));
  expect(runs.some((r) => r.includes('--shard=') && r.includes('--reporter=json'))).toBe(true);
  const merge = runs.find((r) => r.includes('merge-shard-reports.ts'));
  expect(merge).toBeDefined();
  expect(existsSync(join(root, merge!.split(' ').find((w) => w.endsWith('merge-shard-reports.ts'))!))).toBe(true);
});
