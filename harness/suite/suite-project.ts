/**
 * The project as the rule suite sees it, loaded once per worker and run:
 * the suite is split over many test files (parts/), and with `isolate: false`
 * they share a worker's module graph, so the first part file a worker runs
 * loads and compiles the rules and the others reuse them. Scenarios are not
 * kept here: each file reads only its own rules' (`scenariosOf`), so a worker
 * holds every compiled rule (the cross-fire pass needs them) but one part's
 * cases at a time — at corpus size the scenarios weigh more than the rules.
 * A new run (watch mode) is told apart by the run id the sequencer provides.
 */
import { inject } from 'vitest';
import type { Detector } from '../core/detector.ts';
import { loadProjectScenarios, loadRuleProject, type ProjectScenarios, type RuleProject } from '../project/load-project.ts';
import { CrossFireIndex } from '../runner/crossfire-index.ts';

export interface SuiteProject {
  readonly project: RuleProject;
  readonly detectors: readonly Detector[];
  readonly cross: CrossFireIndex;
  /** RULE_HARNESS_STRICT=1: rules without scenarios fail. */
  readonly strict: boolean;
  /** RULE_HARNESS_ONLY=<id,id> (`rule-harness test --changed`): only these rules' cases, and cross-fire involving them. */
  readonly only?: ReadonlySet<string>;
  /** The scenarios of the rules `wants` selects, read now (every scenario when omitted); not cached. */
  scenariosOf(wants?: (ruleId: string) => boolean): ProjectScenarios;
}

declare module 'vitest' {
  export interface ProvidedContext {
    suiteRun: string;
  }
}

let cached: { key: string; suite: SuiteProject } | undefined;

export function suiteProject(): SuiteProject {
  const key = `${inject('suiteRun')}\u0000${process.env.RULE_HARNESS_PROJECT ?? ''}`;
  if (cached?.key === key) return cached.suite;
  cached = undefined; // the previous run's project is garbage before this one loads
  const project = loadRuleProject();
  const detectors = [...project.compiled.detectors.values()];
  const only = process.env.RULE_HARNESS_ONLY ? new Set(process.env.RULE_HARNESS_ONLY.split(',')) : undefined;
  const suite: SuiteProject = {
    project,
    detectors,
    cross: new CrossFireIndex(detectors, project.compiled.silentBases),
    strict: process.env.RULE_HARNESS_STRICT === '1',
    ...(only ? { only } : {}),
    scenariosOf: (wants) => loadProjectScenarios(project, wants),
  };
  cached = { key, suite };
  return suite;
}
