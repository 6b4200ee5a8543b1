/**
 * Branch coverage against the real Sigma engine's traces, whose shape differs
 * from the predicate tree (a `condition: …` wrapper, `all of sel_*` groups,
 * one node per value list): the alignment must still find every branch.
 */
import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { compileEql } from '../engines/eql/index.ts';
import { compileSigmaRule } from '../engines/sigma/index.ts';
import { loadRuleText } from '../rules/load.ts';
import { text } from '../engines/common/pattern.ts';
import { or } from '../engines/common/predicate.ts';
import { KLEENE } from '../generator/model/evaluate.ts';
import { branchCoverage } from './branches.ts';

function sigma(detection: string): Detector {
  const text = `title: t\nid: 11111111-1111-4111-8111-111111111111\nlogsource: { product: windows, category: process_creation }\ndetection:\n${detection}\nlevel: high\n`;
  const { rules, diagnostics } = loadRuleText('rules/sigma/t.yml', text);
  expect(diagnostics).toEqual([]);
  return compileSigmaRule(rules[0]!, [], { placeholders: {} });
}

const d = sigma(`  sel_img:
    Image|endswith: ['\\\\powershell.exe', '\\\\pwsh.exe']
  sel_cli:
    CommandLine|contains: 'New-MailboxExportRequest'
  filter_sys:
    User: SYSTEM
  condition: all of sel_* and not filter_sys`);
const hit = { Image: 'C:\\x\\powershell.exe', CommandLine: 'New-MailboxExportRequest -Mailbox ceo', User: 'bob' };
const coverage = (positive: Event[], negative: Event[]) =>
  branchCoverage(d.constraints().logic, { positive: positive.map((e) => ({ event: e, trace: d.explain(e) })), negative: negative.map((e) => ({ event: e, trace: d.explain(e) })) });
const table = (b: ReturnType<typeof coverage>) => b.branches.map((x) => [x.kind, x.label, x.covered]);

describe('branch coverage with Sigma traces', () => {
  test('selections and alternatives a positive case exercised; the filter a negative case depends on', () => {
    const b = coverage([hit], [{ ...hit, User: 'SYSTEM' }]);
    expect(table(b)).toEqual([
      ['selection', 'sel_img', true],
      ['alternative', 'Image endswith "\\\\powershell.exe"', true],
      ['alternative', 'Image endswith "\\\\pwsh.exe"', false],
      ['selection', 'sel_cli', true],
      ['filter', 'filter_sys', true],
    ]);
    expect([b.total, b.covered, b.unknown]).toEqual([5, 4, 0]);
  });

  test('a negative case that fails for another reason does not cover the filter', () => {
    const b = coverage([{ ...hit, Image: 'C:\\x\\pwsh.exe' }], [{ ...hit, User: 'SYSTEM', CommandLine: 'Get-Mailbox' }]);
    expect(table(b).filter(([kind]) => kind !== 'selection')).toEqual([
      ['alternative', 'Image endswith "\\\\powershell.exe"', false],
      ['alternative', 'Image endswith "\\\\pwsh.exe"', true],
      ['filter', 'filter_sys', false],
    ]);
  });

  test('without positive or negative evidence nothing is covered', () => {
    expect(coverage([], []).covered).toBe(0);
  });
});

describe('branch coverage where the trace has no node for a branch', () => {
  // EQL traces `process.name : ("a", "b")` as one leaf; the predicate has an `or` of two alternatives.
  const q = compileEql('process where process.name : ("powershell.exe", "pwsh.exe") and process.args : "New-MailboxExportRequest*"', { eventCategoryField: 'event.category', timestampField: '@timestamp', size: 100 });
  const ev = (name: string): Event => ({ event: { category: 'process' }, process: { name, args: ['New-MailboxExportRequest', '-Mailbox', 'ceo'] } });

  test('alternatives are decided on the event by the predicate model', () => {
    const logic = q.constraints().logic;
    const b = branchCoverage(logic, { positive: [{ event: ev('PWSH.EXE'), trace: q.explain(ev('PWSH.EXE')) }], negative: [] }, KLEENE);
    expect(b.branches.map((x) => [x.label, x.covered])).toEqual([
      ['process.name equals "powershell.exe"', false],
      ['process.name equals "pwsh.exe"', true],
    ]);
    expect(b.unknown).toBe(0);
  });

  test('evidence without a trace is judged by the model alone; what it cannot decide stays unknown', () => {
    const opaque = or([{ kind: 'opaque', field: null, description: 'length(x) > 3' }, { kind: 'match', field: 'a', pattern: [text('x')], mode: 'sensitive' }]);
    const b = branchCoverage(opaque, { positive: [{ event: { a: 'x' } }], negative: [] });
    expect(b.branches.map((x) => x.covered)).toEqual([null, true]);
  });
});
