/**
 * The baseline diff on a real rule change (issue 5 §4): the seed Elastic rule
 * as it was in 2022 against its current version from the corpus (same
 * rule_id), each in its own temporary project with the same scenario file.
 * The scenario's events match the 2022 query (`process.args :
 * "New-MailboxExportRequest*"`); the current query keys on
 * `process.command_line` and `host.os.type`, so its alert disappears — and
 * `npm run report -- --baseline` must say so.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BaselineDiff } from './baseline.ts';
import { main, type ReportIo } from './cli.ts';
import type { CoverageModel } from './model.ts';
import { SHARED } from '../core/shared-dir.ts';

const shared = SHARED;
const hasShared = existsSync(join(shared, 'seeds'));
if (!hasShared) console.warn('baseline-demo.test.ts: skipped — needs ../shared (the seed rule and the Elastic corpus)');

const RULE_ID = '6aace640-e631-4870-ba8e-5fdda09325db';
const RULE_FILE = 'rules/elastic/windows/collection_email_powershell_exchange_mailbox.toml';
const SCENARIO_FILE = 'scenarios/elastic/windows/collection_email_powershell_exchange_mailbox.yml';

const event = (name: string) =>
  JSON.stringify({
    '@timestamp': '2026-03-18T09:00:00.000Z',
    event: { category: ['process'], type: ['start'] },
    host: { name: 'exch-01', os: { type: 'windows' } },
    process: { name, args: [name, 'New-MailboxExportRequest', '-Mailbox', 'ceo', '-FilePath', '\\\\files\\share\\ceo.pst'] },
  });

const SCENARIO = `rule: ${RULE_ID}
cases:
  - name: mailbox export started from PowerShell
    expect: alert
    events:
      - ${event('powershell.exe')}
  - name: the same arguments from another program
    expect: none
    events:
      - ${event('notepad.exe')}
`;

/** The current version of the seed rule in the corpus: the file that carries the same rule_id. */
function currentVersion(): string {
  const dir = join(shared, 'corpus', 'elastic', 'rules', 'windows');
  const name = readdirSync(dir).find((f) => f.endsWith('.toml') && readFileSync(join(dir, f), 'utf8').includes(`rule_id = "${RULE_ID}"`));
  if (!name) throw new Error(`no rule with rule_id ${RULE_ID} under ${dir}`);
  return join(dir, name);
}

function project(root: string, ruleSource: string): void {
  mkdirSync(join(root, 'rules/elastic/windows'), { recursive: true });
  mkdirSync(join(root, 'scenarios/elastic/windows'), { recursive: true });
  cpSync(ruleSource, join(root, RULE_FILE));
  writeFileSync(join(root, SCENARIO_FILE), SCENARIO);
}

async function report(args: string[], at: string) {
  let out = '';
  let err = '';
  const io: ReportIo = { out: (s) => void (out += s), err: (s) => void (err += s), now: () => new Date(at) };
  return { code: await main(args, io), out, err };
}

describe.skipIf(!hasShared)('baseline diff: the 2022 seed rule against its current version (needs ../shared)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'rh-baseline-'));
  const before = join(tmp, 'v2022');
  const after = join(tmp, 'current');
  let first: Awaited<ReturnType<typeof report>>;
  let second: Awaited<ReturnType<typeof report>>;

  beforeAll(async () => {
    project(before, join(shared, 'seeds', 'collection_email_powershell_exchange_mailbox.toml'));
    project(after, currentVersion());
    first = await report(['--project', before], '2026-01-01T00:00:00Z');
    second = await report(['--project', after, '--baseline', join(before, 'reports', 'coverage.json')], '2026-02-01T00:00:00Z');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const read = <T>(root: string, file: string): T => JSON.parse(readFileSync(join(root, 'reports', file), 'utf8')) as T;

  test('the 2022 version is proven by the scenario; progress and written files go to stderr', () => {
    expect([first.code, first.err.includes('error')]).toEqual([0, false]);
    expect(first.out).toContain('1 of 1 rules tested');
    expect(first.err).toContain('ran 1/1 rules (100%)');
    expect(first.err).toContain(`wrote ${join(before, 'reports', 'coverage.json')}`);
    const model = read<CoverageModel>(before, 'coverage.json');
    expect(model.rules.map((r) => [r.id, r.file, r.coverage, r.language])).toEqual([[RULE_ID, RULE_FILE, 'tested', 'eql']]);
    expect(model.rules[0]!.cases.map((c) => [c.scenario, c.outcome, c.alerts])).toEqual([
      [SCENARIO_FILE, 'pass', [[0]]],
      [SCENARIO_FILE, 'pass', []],
    ]);
  });

  test('the current version no longer alerts: the diff names the rule, the case, the new failure and the techniques', () => {
    expect(second.code).toBe(0);
    const d = read<BaselineDiff>(after, 'baseline-diff.json');
    expect(d.rulesWithChangedAlerts).toEqual([{ rule: RULE_ID, title: 'Exporting Exchange Mailbox via PowerShell', cases: 1, before: 'tested', after: 'failing' }]);
    expect(d.alertsChanged.map((c) => [c.case, c.scenario, c.before, c.after])).toEqual([['mailbox export started from PowerShell', SCENARIO_FILE, [[0]], []]]);
    expect(d.newFailures.map((c) => [c.rule, c.case, c.outcome])).toEqual([[RULE_ID, 'mailbox export started from PowerShell', 'fail']]);
    expect(d.techniques).toEqual({ gained: ['T1059', 'T1059.001', 'T1114.001'], lost: [] });
    expect(d.testedTechniques).toEqual({ gained: [], lost: ['T1005', 'T1114', 'T1114.002'] });
    expect(d.jsonDiff).not.toBeNull();
    expect(second.out).toContain('rules whose alerts changed (1):');
    expect(second.out).toContain("Exporting Exchange Mailbox via PowerShell: 'mailbox export started from PowerShell' [[0]] → []");
  });

  test('the reports written from real engines validate against their schemas', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const schema = (name: string) => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as object;
    const coverage = ajv.compile(schema('./coverage.schema.json'));
    const layer = ajv.compile(schema('./navigator-layer.schema.json'));
    for (const root of [before, after]) {
      expect(coverage(read(root, 'coverage.json')) ? [] : coverage.errors).toEqual([]);
      expect(layer(read(root, 'navigator-layer.json')) ? [] : layer.errors).toEqual([]);
    }
    const rule = read<CoverageModel>(after, 'coverage.json').rules[0]!;
    expect(rule.indicators.some((i) => i.field === 'process.command_line' && i.values.some((v) => v.value === 'MailboxExportRequest'))).toBe(true);
    expect(rule.branches?.branches.length).toBeGreaterThan(0);
  });
});
