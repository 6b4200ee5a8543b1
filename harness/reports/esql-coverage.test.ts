import { describe, expect, test } from 'vitest';
import { loadAttackCatalog } from '../attack/catalog.ts';
import { loadProject } from '../project/load-project.ts';
import { changeScope } from '../review/changed-scope.ts';
import { buildCoverageModel } from './build-model.ts';
import { runAll, runInputOf } from './run.ts';
import { buildNavigatorLayer } from './write-navigator.ts';

/** The shipped ES|QL rules count in coverage, the Navigator layer and `--changed` like every other rule. */
describe('ES|QL rules in reports', () => {
  const project = loadProject();
  const esql = project.rules.rules.filter((r) => r.kind === 'esql');
  const ids = new Set(esql.map((r) => r.id));
  const input = runInputOf(project);
  const only = { ...input, rules: esql, scenariosByRule: new Map([...input.scenariosByRule].filter(([id]) => ids.has(id))) };
  const model = buildCoverageModel(runAll(only), loadAttackCatalog(), '2026-01-01T00:00:00.000Z');

  test('they compile (none is listed as not evaluable) and their cases prove them tested', () => {
    expect(esql.length).toBeGreaterThanOrEqual(2);
    expect(input.notEvaluable.filter((n) => ids.has(n.rule.id))).toEqual([]);
    for (const r of model.rules) {
      expect(r.coverage, r.file).toBe('tested');
      expect(r.stats.failing, r.file).toBe(0);
      expect(r.stats.cases, r.file).toBeGreaterThan(4);
    }
  });

  test('their techniques are covered in the model and scored in the Navigator layer', () => {
    const github = esql.find((r) => r.id === '19f3674c-f4a1-43bb-a89c-e4c6212275e0')!;
    expect(github.techniques).toContain('T1567.001');
    const withT1567001 = esql.filter((r) => r.techniques.includes('T1567.001')).length;
    expect(model.techniques.find((t) => t.id === 'T1567.001')).toMatchObject({ status: 'tested', rulesTested: withT1567001 });
    const layer = buildNavigatorLayer(model) as { techniques: { techniqueID: string; score?: number }[] };
    expect(layer.techniques.find((t) => t.techniqueID === 'T1567.001')?.score).toBeGreaterThan(0);
  });

  test('a changed ES|QL rule or scenario file selects that rule for --changed', () => {
    const rule = esql[0]!;
    const scope = changeScope([rule.source.file], project.rules.rules, [...project.scenariosByRule.values()].flat());
    expect(scope).toEqual({ kind: 'rules', ruleIds: [rule.id], files: [rule.source.file] });
  });
});
