/**
 * The regression suite over the project's rules, split into PARTS test files
 * (parts/part-N.test.ts) so vitest spreads the rules over its workers; a rule
 * belongs to one part by the hash of its id (adding a rule never moves the
 * others), and under `--shard=i/n` each shard takes its own rules first
 * (rule-shard.ts). Per rule a group named `<title> [<id>]`, per scenario case
 * one test named by the case, which checks the case's verdict, its cross-fire
 * (every other rule over its events, undeclared alerts and stale also_fires),
 * and, when it passes as written, its property-based variants and near misses
 * — so `-t '<rule title>'` or `-t '<case name>'` selects, and a repository
 * of 25,000 cases is 25,000 tests, not four times as many. Failures start
 * with their kind (case-checks.ts) and are summarised by rule and kind at the
 * end (suite-reporter.ts).
 *
 * - RULE_HARNESS_STRICT=1: rules without scenarios fail.
 * - RULE_HARNESS_ONLY=<id,id> (`rule-harness test --changed`): only those
 *   rules' cases, and the other scenarios' cross-fire against them.
 * - RULE_HARNESS_SEED=<n> fixes the variants' base seed (printed on every
 *   failure); RULE_HARNESS_RUNS=<n> the runs per case (else the scenario's
 *   `variants.runs`, else 20). A failing variant is saved under
 *   generated/counterexamples/ (RULE_HARNESS_SAVE_COUNTEREXAMPLES=0: not) and
 *   replayed by generated.test.ts from then on.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { renderDiagnostic } from '../core/diagnostics.ts';
import type { Detector } from '../core/detector.ts';
import { hashOf } from '../core/hash.ts';
import { checkProjectScenarios } from '../project/load-project.ts';
import { PipelineRuns } from '../runner/pipeline-runs.ts';
import { caseContext, type Scenario } from '../scenarios/model.ts';
import { checkCrossFire, checkNearMisses, checkVariants, checkVerdict, type VariantSettings } from './case-checks.ts';
import { currentRuleShard, ruleInShard } from './rule-shard.ts';
import { suiteProject, type SuiteProject } from './suite-project.ts';

/** How many part files the rule suite is split into (parts/part-1 … part-PARTS). */
export const PARTS = 8;

/** The part (1-based) a rule belongs to; independent of its shard (other bits of the hash). */
export function partOf(ruleId: string): number {
  return (Math.floor((hashOf(ruleId) >>> 0) / 65_536) % PARTS) + 1;
}

const envSeed = process.env.RULE_HARNESS_SEED;
const baseSeed = envSeed !== undefined && /^-?\d+$/.test(envSeed) ? Number(envSeed) : Math.floor(Math.random() * 2 ** 31);

export function registerRuleSuite(part: number): void {
  const suite = suiteProject();
  const { project } = suite;
  const shard = currentRuleShard();
  if (part === 1 && (!shard || shard.index === 1)) registerLoadChecks(suite);
  const settings: VariantSettings = {
    baseSeed,
    ...(project.config.sigma.timestampFields ? { timestampFields: project.config.sigma.timestampFields } : {}),
    ...(process.env.RULE_HARNESS_SAVE_COUNTEREXAMPLES !== '0' ? { saveTo: join(project.root, 'generated') } : {}),
  };
  const titles = new Map(project.rules.rules.map((r) => [r.id, r]));
  // Scenarios that run only under processing pipelines are harness/suite/pipelines.test.ts's.
  const pipelineRuns = new PipelineRuns(project);
  // Only this part's scenarios are read: the worker holds one part's cases at a time (suite-project.ts).
  const mine = [...suite.scenariosOf((ruleId) => partOf(ruleId) === part && ruleInShard(ruleId, shard)).scenariosByRule];
  // Vitest fails a file without tests: a small project (or shard) may leave a part empty.
  if (mine.length === 0 && !(part === 1 && (!shard || shard.index === 1))) {
    test(`part ${part}: no tested rule of this run hashes here`, () => {
      expect(mine).toEqual([]);
    });
  }
  for (const [ruleId, scenarios] of mine) {
    const detector = project.compiled.detectors.get(ruleId);
    if (suite.only && !suite.only.has(ruleId)) {
      if (detector) registerChangedCrossFire(suite, detector, scenarios);
      continue;
    }
    const rule = titles.get(ruleId)!;
    describe(`${rule.title} [${ruleId}]`, () => {
      if (!detector) {
        const reason = project.compiled.notEvaluable.find((n) => n.rule.id === ruleId)?.reason ?? 'not compiled';
        test('rule is evaluable', () => {
          expect.fail(`[verdict] ${rule.source.file}: rule '${rule.title}' cannot be evaluated: ${reason}`);
        });
        return;
      }
      for (const scenario of scenarios) {
        if (!pipelineRuns.runsWithoutPipeline(rule, scenario)) continue;
        for (const c of scenario.cases) {
          // A known gap passes while it still fails; its title says so, so the run shows it.
          test(c.knownGap ? `${c.name} (known gap: ${c.knownGap})` : c.name, () => {
            const verdict = checkVerdict(detector, scenario, c);
            const failures = [
              ...verdict.failures,
              ...checkCrossFire(detector, scenario, c, suite.cross),
              // Variants of a case failing as written (or a known gap) say nothing new.
              ...(verdict.passed ? [...checkVariants(detector, scenario, c, settings), ...checkNearMisses(detector, scenario, c)] : []),
            ];
            if (failures.length > 0) expect.fail(failures.join('\n\n'));
          });
        }
      }
    });
  }
}

/** What the load checks report: every scenario file is read for it, one at a time, none kept. */
interface LoadSummary {
  readonly errors: readonly string[];
  readonly missing: readonly string[];
  readonly tested: number;
}

function loadSummary(suite: SuiteProject): LoadSummary {
  const { project } = suite;
  const scenarios = checkProjectScenarios(project);
  const errors = [...project.diagnostics, ...scenarios.diagnostics]
    .filter((d) => d.severity === 'error')
    .map((d) => renderDiagnostic(d, d.span ? project.rules.texts.get(d.span.file) : undefined));
  const missing = project.rules.rules.filter((r) => !scenarios.tested.has(r.id)).map((r) => `${r.source.file} (${r.id})`);
  return { errors, missing, tested: scenarios.tested.size };
}

function registerLoadChecks(suite: SuiteProject): void {
  describe('load', () => {
    let summary: LoadSummary | undefined;
    // Reading every scenario file again takes a corpus ~10 s, far longer on a loaded machine.
    beforeAll(() => void (summary = loadSummary(suite)), 600_000);
    test('every rule and scenario file loads and compiles', () => {
      const { errors } = summary!;
      expect(errors, errors.join('\n\n')).toEqual([]);
    });
    test(`rules without scenarios ${suite.strict ? 'fail (strict)' : 'are listed'}`, () => {
      const { missing, tested } = summary!;
      if (suite.strict) expect(missing, 'rules without scenarios').toEqual([]);
      else if (missing.length > 0) console.warn(`rules without scenarios (${missing.length}):\n  ${missing.join('\n  ')}`);
      expect(missing.length + tested).toBe(suite.project.rules.rules.length);
    });
  });
}

/** With RULE_HARNESS_ONLY: an unchanged rule's scenario is still checked against the changed rules. */
function registerChangedCrossFire(suite: SuiteProject, owner: Detector, scenarios: readonly Scenario[]): void {
  const changed = suite.detectors.filter((d) => suite.only?.has(d.rule.id));
  if (changed.length === 0) return;
  for (const scenario of scenarios) {
    test(`cross-fire of changed rules over ${scenario.file}`, () => {
      const lines = scenario.cases.flatMap((c) =>
        suite.cross
          .firing(owner.rule, c.events, caseContext(c), c.alsoFires)
          .filter((f) => suite.only?.has(f.detector.rule.id) && !c.alsoFires.includes(f.detector.rule.id))
          .map((f) => `[cross-fire] case '${c.name}' (${scenario.file}:${c.line}): changed rule ${f.detector.rule.id} ('${f.detector.rule.title}') fires on events ${JSON.stringify(f.alerts.map((a) => a.events))} of rule ${owner.rule.id}'s scenario`),
      );
      expect(lines, lines.join('\n')).toEqual([]);
    });
  }
}
