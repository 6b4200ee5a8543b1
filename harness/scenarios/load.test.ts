import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { declaredRule, forEachScenario, loadScenarioText, type ScenarioLoad } from './load.ts';

const ok = `rule: 5259cbf2-0a75-48bf-b57a-c54d6fabaef3
cases:
  - name: export started
    expect: alert
    events:
      - auditType: { category: Users and groups, action: User permissions export started }
  - name: other category
    expect: { alerts: 0 }
    also_fires: [abc]
    known_gap: not really
    events:
      - auditType: { category: Projects, action: User permissions export started }
variants: { runs: 10 }
`;

describe('loadScenarioText', () => {
  test('reads cases with expectations, line numbers and options', () => {
    const r = loadScenarioText('s.yml', ok);
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario?.rule).toBe('5259cbf2-0a75-48bf-b57a-c54d6fabaef3');
    expect(r.scenario?.cases.map((c) => [c.name, c.expect, c.line])).toEqual([
      ['export started', { kind: 'alert' }, 3],
      ['other category', { kind: 'count', alerts: 0 }, 7],
    ]);
    expect(r.scenario?.cases[1]).toMatchObject({ alsoFires: ['abc'], knownGap: 'not really' });
    expect(r.scenario?.variants).toEqual({ runs: 10 });
  });

  test('an unknown key is an error at its line, with a suggestion', () => {
    const r = loadScenarioText('s.yml', ok.replace('    expect: alert', '    expekt: alert'));
    expect(r.scenario).toBeUndefined();
    const msgs = r.diagnostics.map((d) => `${d.span?.line}: ${d.message}`);
    expect(msgs).toContain("4: unknown key 'expekt' in cases.0 — did you mean 'expect'? (allowed: name, description, expect, events, also_fires, tags, known_gap, history, indicators, events_for, known_gap_under, now)");
  });

  test('now: is an ISO timestamp (epoch ms on the case); anything else is an error at its line', () => {
    const withNow = ok.replace('    expect: alert', '    expect: alert\n    now: 2024-05-01T12:00:00Z');
    expect(loadScenarioText('s.yml', withNow).scenario?.cases[0]?.now).toBe(Date.parse('2024-05-01T12:00:00Z'));
    const bad = loadScenarioText('s.yml', ok.replace('    expect: alert', '    expect: alert\n    now: yesterday'));
    expect(bad.scenario).toBeUndefined();
    expect(bad.diagnostics.map((d) => `${d.span?.line}: ${d.message}`)).toEqual(["5: now: 'yesterday' is not an ISO 8601 timestamp (e.g. 2024-05-01T12:00:00Z)"]);
  });

  test('an empty case list, a bad expectation and a missing rule are errors', () => {
    expect(loadScenarioText('s.yml', 'rule: x\ncases: []\n').diagnostics[0]?.message).toMatch(/cases must NOT have fewer than 1 items/);
    const bad = loadScenarioText('s.yml', 'rule: x\ncases:\n  - name: a\n    expect: alerts\n    events: [{a: 1}]\n');
    expect(bad.diagnostics.map((d) => [d.span?.line, d.message])).toEqual([[4, "cases.0.expect must be 'alert', 'none' or { alerts: N }"]]);
    expect(loadScenarioText('s.yml', 'cases:\n  - name: a\n    expect: none\n    events: [{a: 1}]\n').diagnostics[0]?.message).toBe("the file is missing the required key 'rule'");
  });

  test('malformed YAML and duplicate keys name the line', () => {
    const r = loadScenarioText('s.yml', 'rule: x\nrule: y\ncases: []\n');
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml/syntax', span: { file: 's.yml', line: 2 } });
    const r2 = loadScenarioText('s.yml', 'rule: x\ncases:\n  - name: [a\n');
    expect(r2.diagnostics[0]?.code).toBe('yaml/syntax');
  });

  test('duplicate case names are rejected', () => {
    const text = 'rule: x\ncases:\n  - name: a\n    expect: none\n    events: [{a: 1}]\n  - name: a\n    expect: none\n    events: [{a: 2}]\n';
    expect(loadScenarioText('s.yml', text).diagnostics.map((d) => [d.code, d.span?.line])).toEqual([['scenario/duplicate-case', 6]]);
  });
});

describe('pipeline keys', () => {
  const base = 'rule: x\ncases:\n  - name: a\n    expect: alert\n    events: [{ Image: a }]\n';
  test('pipeline and pipelines become the scenario pipeline list; a case gives events and gaps per pipeline', () => {
    expect(loadScenarioText('s.yml', `pipeline: ecs_windows\n${base}`).scenario?.pipelines).toEqual(['ecs_windows']);
    const s = loadScenarioText('s.yml', `pipelines: [none, sysmon]\n${base}    events_for: { sysmon: [{ EventID: 1 }] }\n    known_gap_under: { sysmon: why }\n`).scenario;
    expect(s?.pipelines).toEqual(['none', 'sysmon']);
    expect(s?.cases[0]).toMatchObject({ eventsFor: { sysmon: [{ EventID: 1 }] }, knownGapUnder: { sysmon: 'why' } });
  });
  test('both keys at once is an error', () => {
    expect(loadScenarioText('s.yml', `pipeline: a\npipelines: [b]\n${base}`).diagnostics.map((d) => [d.span?.line, d.message])).toEqual([[2, "give either 'pipeline' or 'pipelines', not both"]]);
  });
});

describe('alias bombs', () => {
  test('a document whose aliases expand past the limit is a located error, not a crash', () => {
    const anchors = Array.from({ length: 12 }, (_, i) => `a${i}: &a${i} [${Array.from({ length: 12 }, () => (i === 0 ? 'x' : `*a${i - 1}`)).join(', ')}]`).join('\n');
    const r = loadScenarioText('s.yml', `${anchors}\nrule: r\ncases: []\n`);
    expect(r.scenario).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml/syntax', span: { file: 's.yml', line: 1 } });
  });
});

describe('reading only some rules\' scenarios', () => {
  test('declaredRule reads a plain or quoted top-level rule line, and nothing it is unsure of', () => {
    expect(declaredRule(ok)).toBe('5259cbf2-0a75-48bf-b57a-c54d6fabaef3');
    expect(declaredRule("# c\nrule: 'abc-1'   # the rule\ncases: []\n")).toBe('abc-1');
    expect(declaredRule('rule: "a.b_c"\r\n')).toBe('a.b_c');
    expect(declaredRule('cases:\n  - rule: abc\n')).toBeUndefined();
    expect(declaredRule('rule: [abc]\n')).toBeUndefined();
    expect(declaredRule("rule: 'abc\"\n")).toBeUndefined();
    expect(declaredRule('rule: abc def\n')).toBeUndefined();
  });

  test('with wants, other rules\' files are skipped and so are invalid files; without, every file is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-scenarios-'));
    try {
      mkdirSync(join(dir, 'a'));
      const file = (rule: string) => `rule: ${rule}\ncases:\n  - name: c\n    expect: none\n    events: [{ x: 1 }]\n`;
      writeFileSync(join(dir, 'a', 'one.yml'), file('one'));
      writeFileSync(join(dir, 'a', 'two.yml'), file('two'));
      // The rule line is not plain: read in full, kept for its parsed rule.
      writeFileSync(join(dir, 'three.yml'), file('{ three }').replace('{ three }', '>-\n  three'));
      writeFileSync(join(dir, 'bad.yml'), 'rule: one\ncases: 3\n');
      const read = (wants?: (id: string) => boolean) => {
        const out: ScenarioLoad[] = [];
        forEachScenario(dir, dir, wants, (r) => out.push(r));
        return out.map((r) => r.scenario?.rule ?? `error: ${r.diagnostics[0]?.span?.file}`);
      };
      expect(read()).toEqual(['one', 'two', 'error: bad.yml', 'three']);
      expect(read((id) => id !== 'two')).toEqual(['one', 'three']);
      expect(read((id) => id === 'two')).toEqual(['two']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
