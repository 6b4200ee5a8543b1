/**
 * `junit.xml` for CI systems: one `<testsuite>` per rule, one `<testcase>` per
 * scenario case plus one for its cross-fire check. Known gaps that still fail
 * are `<skipped>` (expected failures), a known gap that passes is a failure
 * (the marker must go), a not-evaluable rule with scenarios is an error and a
 * rule without scenarios a skipped placeholder, so CI shows what is untested.
 */
import type { CaseResult, CoverageModel, RuleCoverage } from './model.ts';

const esc = (s: string): string =>
  // XML 1.0 forbids most control characters even when escaped: drop them.
  // eslint-disable-next-line no-control-regex
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Testcase {
  readonly name: string;
  readonly classname: string;
  readonly file: string;
  readonly line?: number;
  readonly body: string;
  readonly failed: boolean;
  readonly errored: boolean;
  readonly skipped: boolean;
}

function caseOf(r: RuleCoverage, c: CaseResult): Testcase {
  const base = { name: c.name, classname: r.title, file: c.scenario, line: c.line };
  const message = c.message ?? c.outcome;
  switch (c.outcome) {
    case 'pass':
      return { ...base, body: '', failed: false, errored: false, skipped: false };
    case 'known-gap':
      return { ...base, body: `<skipped message="${esc(`known gap: ${c.knownGap ?? ''}`)}"/>`, failed: false, errored: false, skipped: true };
    case 'error':
      return { ...base, body: `<error message="${esc(message)}"/>`, failed: false, errored: true, skipped: false };
    case 'fail':
    case 'unexpected-pass':
      return { ...base, body: `<failure message="${esc(message)}" type="${c.outcome}">${esc(`alerts: ${JSON.stringify(c.alerts)}`)}</failure>`, failed: true, errored: false, skipped: false };
  }
}

function crossFireCase(r: RuleCoverage): Testcase {
  const lines = [
    ...r.crossFire.surprises.map((s) => `case '${s.case}' (${s.scenario}): rule ${s.rule} also fires; declare it in also_fires if intended`),
    ...r.crossFire.stale.map((s) => `case '${s.case}' (${s.scenario}): also_fires lists ${s.rule}, which does not fire`),
  ];
  const failed = lines.length > 0;
  return { name: 'cross-fire', classname: r.title, file: r.scenarios[0] ?? r.file, body: failed ? `<failure message="${esc(`${lines.length} cross-fire problem(s)`)}">${esc(lines.join('\n'))}</failure>` : '', failed, errored: false, skipped: false };
}

function testcases(r: RuleCoverage): Testcase[] {
  const placeholder = { classname: r.title, file: r.file, line: r.line, failed: false, errored: false, skipped: false };
  if (!r.evaluable) {
    const body = r.scenarios.length > 0 ? `<error message="${esc(`not evaluable: ${r.notEvaluableReason ?? ''}`)}"/>` : `<skipped message="${esc(`not evaluable: ${r.notEvaluableReason ?? ''}`)}"/>`;
    return [{ ...placeholder, name: 'rule is evaluable', body, errored: r.scenarios.length > 0, skipped: r.scenarios.length === 0 }];
  }
  if (r.scenarios.length === 0) return [{ ...placeholder, name: 'has a scenario', body: '<skipped message="no scenario file"/>', skipped: true }];
  return [...r.cases.map((c) => caseOf(r, c)), crossFireCase(r)];
}

function suite(r: RuleCoverage): string {
  const cases = testcases(r);
  const count = (f: (t: Testcase) => boolean) => cases.filter(f).length;
  const head = `  <testsuite name="${esc(`${r.title} [${r.id}]`)}" tests="${cases.length}" failures="${count((t) => t.failed)}" errors="${count((t) => t.errored)}" skipped="${count((t) => t.skipped)}" file="${esc(r.file)}">`;
  const body = cases.map((t) => {
    const attrs = `name="${esc(t.name)}" classname="${esc(t.classname)}" file="${esc(t.file)}"${t.line !== undefined ? ` line="${t.line}"` : ''}`;
    return t.body ? `    <testcase ${attrs}>${t.body}</testcase>` : `    <testcase ${attrs}/>`;
  });
  return [head, ...body, '  </testsuite>'].join('\n');
}

export function renderJunit(m: CoverageModel): string {
  const suites = m.rules.map(suite);
  const all = m.rules.flatMap(testcases);
  const n = (f: (t: Testcase) => boolean) => all.filter(f).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="rule-harness" tests="${all.length}" failures="${n((t) => t.failed)}" errors="${n((t) => t.errored)}" skipped="${n((t) => t.skipped)}" timestamp="${esc(m.generatedAt)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
