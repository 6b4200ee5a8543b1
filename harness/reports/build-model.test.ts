import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { loadAttackCatalog } from '../attack/catalog.ts';
import { buildCoverageModel } from './build-model.ts';
import { fixtureInput } from './test-fixture.ts';
import { runAll } from './run.ts';
import { renderCoverageJson } from './write-json.ts';

const model = buildCoverageModel(runAll(fixtureInput()), loadAttackCatalog(), '2026-01-01T00:00:00.000Z');
const rule = (id: string) => model.rules.find((r) => r.id === id)!;
const technique = (id: string) => model.techniques.find((t) => t.id === id);

describe('rule coverage', () => {
  test('each rule gets the status its cases prove', () => {
    expect(Object.fromEntries(model.rules.map((r) => [r.id, r.coverage]))).toEqual({ ps: 'tested', mail: 'failing', gap: 'tested', lonely: 'untested', esql: 'not-evaluable' });
  });
  test('case outcomes honour known gaps and keep the alerts', () => {
    expect(rule('gap').cases.map((c) => c.outcome)).toEqual(['pass', 'known-gap']);
    expect(rule('gap').stats).toEqual({ cases: 2, passing: 1, failing: 0, knownGap: 1 });
    const wrong = rule('mail').cases[1]!;
    expect([wrong.outcome, wrong.expect, wrong.alerts]).toEqual(['fail', 2, [[0]]]);
  });
  test('retired technique ids are redirected, unknown ones become findings', () => {
    expect(rule('mail').techniques).toEqual(['T1059.001', 'T1114.002']);
    expect(model.findings.map((f) => [f.rule, f.code, f.id])).toEqual([
      ['mail', 'attack/redirected', 'T1086'],
      ['mail', 'attack/unknown-technique', 'T4242'],
    ]);
  });
});

describe('branch coverage', () => {
  test('alternatives exercised by positive cases and filters a negative case depends on', () => {
    const b = rule('ps').branches!;
    expect(b.branches.map((x) => [x.kind, x.label, x.covered])).toEqual([
      ['selection', 'selection', true],
      ['alternative', 'Image endswith "\\\\powershell.exe"', true],
      ['alternative', 'Image endswith "\\\\pwsh.exe"', false],
      ['filter', 'filter', true],
    ]);
    expect([b.total, b.covered, b.unknown]).toEqual([4, 3, 0]);
  });
  test('rules without scenarios have no branch coverage', () => {
    expect(rule('lonely').branches).toBeNull();
  });
});

describe('indicators', () => {
  test('values are grouped per field and operator, with a corpus count of other rules', () => {
    const image = rule('ps').indicators.find((i) => i.field === 'Image')!;
    expect(image.values).toEqual([
      { value: '\\powershell.exe', corpus: 2 },
      { value: '\\pwsh.exe', corpus: 0 },
    ]);
    expect(image.corpus).toBe(2);
    expect(rule('ps').indicators.find((i) => i.field === 'User')).toMatchObject({ operator: 'equals', negated: true, corpus: 0 });
  });
  test('a multi-step rule contributes the leaves of its steps', () => {
    expect(rule('lonely').indicators.map((i) => [i.field, i.operator, i.values.map((v) => v.value)])).toEqual([
      ['Image', 'endswith', ['\\powershell.exe']],
      ['TargetImage', 'endswith', ['\\lsass.exe']],
    ]);
  });
});

describe('techniques and tactics', () => {
  test('a technique is as good as its best rule; parents roll up their sub-techniques', () => {
    expect(technique('T1059.001')).toMatchObject({ status: 'tested', rules: ['mail', 'esql', 'ps'], rulesTested: 1, score: 33 });
    expect(technique('T1059.001')?.notEvaluable).toEqual([{ rule: 'esql', reason: 'COMPLETION calls an inference endpoint (an LLM) and cannot be evaluated offline' }]);
    expect(technique('T1059')).toMatchObject({ status: 'none', rules: [], rollup: { rules: 4, rulesTested: 2, status: 'tested', score: 50 } });
    expect(technique('T1003.001')?.status).toBe('untested');
    expect(technique('T1114.002')?.status).toBe('failing');
  });
  test('tactics come in matrix order with the same numbers as techniques', () => {
    expect(model.tactics).toHaveLength(14);
    const execution = model.tactics.find((t) => t.shortname === 'execution')!;
    expect(execution).toMatchObject({
      techniquesWithRules: 1,
      techniquesTested: 1,
      rules: 4,
      rulesWithScenarios: 3,
      rulesTested: 2,
      notEvaluable: [{ rule: 'esql', reason: 'COMPLETION calls an inference endpoint (an LLM) and cannot be evaluated offline' }],
      stats: { cases: 7, passing: 5, failing: 1, knownGap: 1 },
      mutationScore: 0.75,
    });
    expect(execution.techniques).toBeGreaterThan(10);
    expect(model.tactics.find((t) => t.shortname === 'impact')).toMatchObject({ rules: 0, notEvaluable: [], mutationScore: null });
  });
  test('sub-techniques carry their own numbers; a parent cell rolls them up, counting each rule once', () => {
    expect(technique('T1059.003')).toMatchObject({ rules: ['gap'], rulesWithScenarios: 1, rulesTested: 1, stats: { cases: 2, passing: 1, failing: 0, knownGap: 1 }, mutationScore: null });
    expect(technique('T1059.001')).toMatchObject({ rulesWithScenarios: 2, stats: { cases: 5, passing: 4, failing: 1, knownGap: 0 }, mutationScore: 0.75 });
    expect(technique('T1059')?.rollup).toEqual({ rules: 4, rulesWithScenarios: 3, rulesTested: 2, stats: { cases: 7, passing: 5, failing: 1, knownGap: 1 }, status: 'tested', score: 50 });
    expect(technique('T1114')?.rollup).toMatchObject({ rules: 1, status: 'failing', score: 0 });
  });
  test('file paths are made relative to the project root', () => {
    const rebased = buildCoverageModel(runAll(fixtureInput()), loadAttackCatalog(), 'now', { root: 'rules' });
    const ps = rebased.rules.find((r) => r.id === 'ps')!;
    expect([ps.file, ps.scenarios, ps.cases[0]?.scenario]).toEqual(['sigma/ps.yml', ['../scenarios/sigma/ps.yml'], '../scenarios/sigma/ps.yml']);
  });
  test('totals add up', () => {
    expect(model.totals).toMatchObject({ rules: 5, rulesWithScenarios: 3, rulesTested: 2, rulesFailing: 1, rulesNotEvaluable: 1, cases: 7, passing: 5, failing: 1, knownGap: 1, findings: 2, mutationScore: 0.75 });
    expect(model.notEvaluable).toEqual([{ rule: 'esql', title: 'ES|QL thing', file: 'rules/sigma/esql.yml', reason: 'COMPLETION calls an inference endpoint (an LLM) and cannot be evaluated offline' }]);
  });
});

describe('coverage.json', () => {
  test('validates against the shipped schema', () => {
    const schema: unknown = JSON.parse(readFileSync(new URL('./coverage.schema.json', import.meta.url), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema as object);
    const data: unknown = JSON.parse(renderCoverageJson(model));
    expect(validate(data) ? [] : validate.errors).toEqual([]);
    const broken = { ...(data as object), totals: { rules: -1 } };
    expect(validate(broken)).toBe(false);
  });
});
