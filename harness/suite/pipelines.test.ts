/**
 * The regression suite under Sigma processing pipelines: a scenario whose
 * `pipelines` (or harness.config.yml's) name a pipeline runs each case again
 * on the rule as that pipeline maps it, on the events translated for it, each
 * a test of its own (`<rule> [<id>] under <pipeline>`), plus a cross-fire test
 * against every rule compiled under the same pipeline, Elastic rules included.
 * Sharded and filtered (RULE_HARNESS_ONLY) like the rule suite (rule-suite.ts).
 */
import { describe, expect, test } from 'vitest';
import { pipelineMappingOf } from '../engines/sigma/index.ts';
import { crossFire } from '../runner/crossfire.ts';
import { PipelineRuns } from '../runner/pipeline-runs.ts';
import { renderFailure } from '../runner/render-failure.ts';
import { runCase } from '../runner/verdict.ts';
import { NO_PIPELINE } from '../engines/sigma/pipeline/builtin.ts';
import { currentRuleShard, ruleInShard } from './rule-shard.ts';
import { suiteProject } from './suite-project.ts';

// The project the rule suite's parts loaded in this worker (suite-project.ts), not a second load and compile.
const suite = suiteProject();
const { project, only } = suite;
const runs = new PipelineRuns(project);
const shard = currentRuleShard();
const rulesById = new Map(project.rules.rules.map((r) => [r.id, r]));

let registered = 0;
for (const [ruleId, scenarios] of suite.scenariosOf((id) => ruleInShard(id, shard) && (!only || only.has(id))).scenariosByRule) {
  const rule = rulesById.get(ruleId)!;
  for (const scenario of scenarios) {
    for (const name of runs.pipelinesOf(rule, scenario).filter((n) => n !== NO_PIPELINE)) {
      registered++;
      describe(`${rule.title} [${ruleId}] under ${name}`, () => {
        let compiled;
        try {
          compiled = runs.compiled(name);
        } catch (e) {
          test(`pipeline ${name} loads`, () => expect.fail(`${scenario.file}: ${(e as Error).message}`));
          return;
        }
        const detector = compiled.detectors.get(ruleId);
        if (!detector) {
          const reason = compiled.notEvaluable.find((n) => n.rule.id === ruleId)?.reason ?? 'not compiled';
          test(`rule is evaluable under ${name}`, () => expect.fail(`${rule.source.file}: rule '${rule.title}' cannot be evaluated under ${name}: ${reason}`));
          return;
        }
        const mapping = pipelineMappingOf(detector);
        for (const c of scenario.cases) {
          const run = (c.knownGapUnder?.[name] ?? c.knownGap) !== undefined ? test.fails : test;
          run(c.name, () => {
            const { case: pc, notes } = runs.caseUnder(name, rule, c);
            const verdict = runCase(detector, pc);
            if (!verdict.pass) {
              const how = [`under pipeline ${name}: ${mapping?.notes.join('; ') || 'no transformation applied'}`, ...notes.map((n) => `translation: ${n}`), `events as run: ${JSON.stringify(pc.events)}`];
              expect.fail(`${renderFailure(detector, pc, verdict, scenario.file)}\n${how.join('\n')}`);
            }
            expect(verdict.pass).toBe(true);
          });
        }
        test(`cross-fire under ${name} (${scenario.file})`, () => {
          const r = crossFire(detector, runs.scenarioUnder(name, rule, scenario), [...compiled.detectors.values()], compiled.silentBases);
          const lines = [
            ...r.surprises.map((s) => `case '${s.case.name}' (${scenario.file}:${s.case.line}): rule ${s.rule.rule.id} ('${s.rule.rule.title}', ${s.rule.rule.source.file}) also fires under ${name} on events ${JSON.stringify(s.alerts.map((a) => a.events))} — declare it in also_fires if intended`),
            ...r.stale.map((s) => `case '${s.case.name}' (${scenario.file}:${s.case.line}): also_fires lists ${s.ruleId}, which does not fire under ${name}`),
          ];
          expect(lines, lines.join('\n')).toEqual([]);
        });
      });
    }
  }
}

// vitest fails a file without tests; a project may have no pipeline scenarios (or none in this shard).
if (registered === 0) test('no scenario of this run names a processing pipeline', () => expect(registered).toBe(0));
