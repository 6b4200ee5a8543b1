/**
 * The regression suite: one test per scenario case, grouped by rule (so
 * `vitest -t '<rule title>'` or `-t '<case name>'` selects), plus a cross-fire
 * test per scenario, the load diagnostics, and the rules nobody tests.
 * Set RULE_HARNESS_STRICT=1 to make rules without scenarios a failure.
 * RULE_HARNESS_ONLY=<id,id> (set by `rule-harness test --changed`) runs only
 * those rules' cases and the cross-fire checks that involve them.
 */
/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import { renderDiagnostic } from '../core/diagnostics.ts';
import type { Detector } from '../core/detector.ts';
import type { Scenario } from '../scenarios/model.ts';
import { loadProject } from '../project/load-project.ts';
import { currentRuleShard, ruleInShard } from './rule-shard.ts';
import { crossFire } from '../runner/crossfire.ts';
import { PipelineRuns } from '../runner/pipeline-runs.ts';
import { renderFailure } from '../runner/render-failure.ts';
import { runCase } from '../runner/verdict.ts';

// Rule and scenario files become dependencies of this file, so watch mode re-runs it when one is edited.
import.meta.glob(['../../rules/**/*.{yml,yaml,toml}', '../../scenarios/**/*.{yml,yaml}', '../../harness.config.yml'], { query: '?raw', import: 'default', eager: true });

const project = loadProject();
const strict = process.env.RULE_HARNESS_STRICT === '1';
const only = process.env.RULE_HARNESS_ONLY ? new Set(process.env.RULE_HARNESS_ONLY.split(',')) : undefined;
const detectors = [...project.compiled.detectors.values()];
const shard = currentRuleShard();
// Scenarios that run only under processing pipelines are harness/suite/pipelines.test.ts's.
const pipelineRuns = new PipelineRuns(project);

// Once per run, not once per shard.
describe.runIf(!shard || shard.index === 1)('load', () => {
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  test('every rule and scenario file loads and compiles', () => {
    const rendered = errors.map((d) => renderDiagnostic(d, d.span ? project.rules.texts.get(d.span.file) : undefined));
    expect(rendered, rendered.join('\n\n')).toEqual([]);
  });
  test(`rules without scenarios ${strict ? 'fail (strict)' : 'are listed'}`, () => {
    const missing = project.rulesWithoutScenarios.map((r) => `${r.source.file} (${r.id})`);
    if (strict) expect(missing, 'rules without scenarios').toEqual([]);
    else if (missing.length > 0) console.warn(`rules without scenarios (${missing.length}):\n  ${missing.join('\n  ')}`);
    expect(missing.length + project.scenariosByRule.size).toBe(project.rules.rules.length);
  });
});

for (const [ruleId, scenarios] of project.scenariosByRule) {
  if (!ruleInShard(ruleId, shard)) continue;
  if (only && !only.has(ruleId)) {
    registerChangedCrossFire(ruleId, scenarios);
    continue;
  }
  const detector = project.compiled.detectors.get(ruleId);
  const rule = project.rules.rules.find((r) => r.id === ruleId)!;
  describe(`${rule.title} [${ruleId}]`, () => {
    if (!detector) {
      const reason = project.compiled.notEvaluable.find((n) => n.rule.id === ruleId)?.reason ?? 'not compiled';
      test('rule is evaluable', () => {
        expect.fail(`${rule.source.file}: rule '${rule.title}' cannot be evaluated: ${reason}`);
      });
      return;
    }
    for (const scenario of scenarios) {
      if (!pipelineRuns.runsWithoutPipeline(rule, scenario)) continue;
      for (const c of scenario.cases) {
        const run = c.knownGap ? test.fails : test;
        run(c.name, () => {
          const verdict = runCase(detector, c);
          if (!verdict.pass) expect.fail(renderFailure(detector, c, verdict, scenario.file));
          expect(verdict.pass).toBe(true);
        });
      }
      test(`cross-fire (${scenario.file})`, () => {
        expectNoSurprises(detector, scenario, detectors);
      });
    }
  });
}

function expectNoSurprises(owner: Detector, scenario: Scenario, others: readonly Detector[]): void {
  const r = crossFire(owner, scenario, others, project.compiled.silentBases);
  const lines = [
    ...r.surprises.map((s) => `case '${s.case.name}' (${scenario.file}:${s.case.line}): rule ${s.rule.rule.id} ('${s.rule.rule.title}', ${s.rule.rule.source.file}) also fires on events ${JSON.stringify(s.alerts.map((a) => a.events))} — rule under test is ${owner.rule.id}; declare it in also_fires if intended`),
    ...r.stale.map((s) => `case '${s.case.name}' (${scenario.file}:${s.case.line}): also_fires lists ${s.ruleId}, which does not fire on these events`),
  ];
  expect(lines, lines.join('\n')).toEqual([]);
}

/** With RULE_HARNESS_ONLY: an unchanged rule's scenario is still checked against the changed rules. */
function registerChangedCrossFire(ruleId: string, scenarios: readonly Scenario[]): void {
  const owner = project.compiled.detectors.get(ruleId);
  const changed = detectors.filter((d) => only?.has(d.rule.id));
  if (!owner || changed.length === 0) return;
  for (const scenario of scenarios) {
    test(`cross-fire of changed rules over ${scenario.file}`, () => {
      const r = crossFire(owner, scenario, changed, project.compiled.silentBases);
      const lines = r.surprises.map((s) => `case '${s.case.name}' (${scenario.file}:${s.case.line}): changed rule ${s.rule.rule.id} ('${s.rule.rule.title}') fires on events ${JSON.stringify(s.alerts.map((a) => a.events))} of rule ${ruleId}'s scenario`);
      expect(lines, lines.join('\n')).toEqual([]);
    });
  }
}
