import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadProject } from '../project/load-project.ts';
import { renderReview } from './render-review.ts';
import { findRule, reviewRule } from './review.ts';

/** It walks every shipped rule with every engine (about 40 s on the idle 2-core machine): room for a machine running at half speed. */
const HEAVY_TIMEOUT = 180_000;

describe('review over every shipped rule', () => {
  const project = loadProject();
  // Reviewing runs every case (with its variants): done once per rule for both tests below.
  const reviews = new Map<string, ReturnType<typeof reviewRule>>();
  const review = (rule: (typeof project.rules.rules)[number]) => {
    let r = reviews.get(rule.id);
    if (!r) reviews.set(rule.id, (r = reviewRule(project, rule, { mutate: false })));
    return r;
  };
  test(`${project.rules.rules.length} rules: stages, indicators, scenario status and a next step, in text, Markdown and JSON`, () => {
    expect(project.rules.rules.length).toBeGreaterThan(90);
    for (const rule of project.rules.rules) {
      const r = review(rule);
      const text = renderReview(r, 'text');
      expect(text, rule.source.file).toContain(`Rule review: ${rule.title}`);
      expect(text).toContain('== Next step ==');
      expect(renderReview(r, 'md')).toContain(`## Rule review: ${rule.title}`);
      expect(JSON.parse(JSON.stringify(r)).rule.id).toBe(rule.id);
      if (r.evaluable && rule.kind === 'event') expect(r.stages.length, rule.source.file).toBeGreaterThan(0);
      if (project.scenariosByRule.has(rule.id)) expect(r.cases.length, rule.source.file).toBeGreaterThan(0);
    }
  }, HEAVY_TIMEOUT);
  test('ES|QL rules: evaluable, their WHERE conjuncts as stages, their cases passing', () => {
    const esql = project.rules.rules.filter((r) => r.kind === 'esql');
    expect(esql.length).toBeGreaterThanOrEqual(2);
    for (const rule of esql) {
      const r = review(rule);
      expect([r.evaluable, r.notEvaluableReason], rule.source.file).toEqual([true, null]);
      expect(r.stages.length, rule.source.file).toBeGreaterThan(0);
      // A known gap is a declared expected failure (the case says what the engine cannot do yet).
      expect(r.cases.filter((c) => c.outcome !== 'pass' && c.outcome !== 'known-gap'), rule.source.file).toEqual([]);
    }
  });
  test('finds rules by id, path and path suffix', () => {
    const rule = project.rules.rules[0]!;
    expect(findRule(project, rule.id)).toBe(rule);
    expect(findRule(project, rule.source.file)).toBe(rule);
    expect(findRule(project, rule.source.file.split('/').slice(-2).join('/'))).toBe(rule);
  });
});

const RULE = (value: string) => `title: Whoami All
id: 00000000-0000-4000-8000-0000000000c3
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '\\whoami.exe'
    CommandLine|contains: '${value}'
  condition: selection
`;

describe('review --base', () => {
  test('shows the rule diff and the alerts that disappeared on the scenarios', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-review-'));
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir, encoding: 'utf8' });
    mkdirSync(join(dir, 'rules'));
    mkdirSync(join(dir, 'scenarios'));
    writeFileSync(join(dir, 'rules', 'w.yml'), RULE('/all'));
    writeFileSync(join(dir, 'scenarios', 'w.yml'), `rule: 00000000-0000-4000-8000-0000000000c3
cases:
  - name: whoami /all
    expect: alert
    events: [{ Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /all' }]
  - name: whoami /priv
    expect: none
    events: [{ Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /priv' }]
`);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(join(dir, 'rules', 'w.yml'), RULE('/groups'));
    const project = loadProject({ root: dir });
    const r = reviewRule(project, project.rules.rules[0]!, { base: 'HEAD', mutate: true });
    expect(r.base?.ruleDiff).toContain("-    CommandLine|contains: '/all'");
    expect(r.base?.alertChanges).toEqual([{ scenario: 'scenarios/w.yml', case: 'whoami /all', before: [[0]], after: [] }]);
    expect(r.cases.find((c) => c.name === 'whoami /all')?.outcome).toBe('fail');
    const text = renderReview(r, 'text');
    expect(text).toContain("case 'whoami /all' (scenarios/w.yml): alerts changed");
    expect(r.mutation?.killed).toBeGreaterThan(0);
  });
});
