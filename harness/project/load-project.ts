import { join, resolve } from 'node:path';
import { loadConfig, type HarnessConfig } from '../config.ts';
import { HarnessError, type Diagnostic } from '../core/diagnostics.ts';
import { pipelineOf } from '../engines/sigma/pipeline/builtin.ts';
import type { Rule } from '../core/rule.ts';
import { compileRuleSet, type CompiledRuleSet } from '../engines/registry.ts';
import { loadRules, type RuleSet } from '../rules/load.ts';
import { forEachScenario } from '../scenarios/load.ts';
import type { Scenario } from '../scenarios/model.ts';

/** A project's rules, loaded and compiled: what every scenario is checked against. */
export interface RuleProject {
  /** Absolute path of the project root; file names below are relative to it. */
  readonly root: string;
  readonly config: HarnessConfig;
  readonly rules: RuleSet;
  readonly compiled: CompiledRuleSet;
  /** Where the scenarios live. */
  readonly scenarioDir: string;
  /** The rules' load and compile problems; errors and warnings. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Scenario files of a project, loaded and checked against its rules. */
export interface ProjectScenarios {
  readonly scenarios: readonly Scenario[];
  readonly scenariosByRule: ReadonlyMap<string, readonly Scenario[]>;
  /** Scenario load and cross-reference problems; errors and warnings. */
  readonly diagnostics: readonly Diagnostic[];
}

/** A project on disk, loaded and compiled: what the suite, `lint` and reports work from. */
export interface Project extends RuleProject, ProjectScenarios {
  readonly rulesWithoutScenarios: readonly Rule[];
  /** Every problem: rule load, compile, scenario load and cross-reference; errors and warnings. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ProjectPaths {
  readonly root?: string;
  readonly rules?: string;
  readonly scenarios?: string;
}

/** `rules/sigma/a/b.yml` ↔ `scenarios/sigma/a/b.yml`. */
export function mirroredScenarioPath(ruleFile: string): string {
  return ruleFile.replace(/^rules\//, 'scenarios/').replace(/\.(toml|yaml)$/i, '.yml');
}

export function loadProject(paths: ProjectPaths = {}): Project {
  const rules = loadRuleProject(paths);
  const scenarios = loadProjectScenarios(rules);
  const rulesWithoutScenarios = rules.rules.rules.filter((r) => !scenarios.scenariosByRule.has(r.id));
  return { ...rules, ...scenarios, rulesWithoutScenarios, diagnostics: [...rules.diagnostics, ...scenarios.diagnostics] };
}

/** The rules side of `loadProject`: config, rules and their compilation, no scenario read. */
export function loadRuleProject(paths: ProjectPaths = {}): RuleProject {
  // RULE_HARNESS_PROJECT points the suite and the CLI at another project tree (tests, monorepos).
  const root = paths.root ?? process.env.RULE_HARNESS_PROJECT ?? '.';
  const config = loadConfig(join(root, 'harness.config.yml'));
  // File names in messages and mirroring are relative to the project root.
  const base = resolve(root);
  const rules = loadRules(paths.rules ?? join(root, 'rules'), base);
  const compiled = compileRuleSet(rules, config);
  return { root: base, config, rules, compiled, scenarioDir: paths.scenarios ?? join(root, 'scenarios'), diagnostics: [...rules.diagnostics, ...compiled.diagnostics] };
}

/**
 * The project's scenarios, checked against its rules; with `wants`, only the scenario files
 * of the rules it selects are read (loadScenarios), and only their problems are reported.
 */
export function loadProjectScenarios(project: RuleProject, wants?: (ruleId: string) => boolean): ProjectScenarios {
  const scenarios: Scenario[] = [];
  const scenariosByRule = new Map<string, Scenario[]>();
  const { diagnostics } = readProjectScenarios(project, wants, (s) => {
    scenarios.push(s);
    scenariosByRule.set(s.rule, [...(scenariosByRule.get(s.rule) ?? []), s]);
  });
  return { scenarios, scenariosByRule, diagnostics };
}

/**
 * Every scenario file's problems and the rules that have a scenario, one file at a time: what
 * `loadProject` would report, without holding every case (a corpus's weigh ~120 MB).
 */
export function checkProjectScenarios(project: RuleProject): { diagnostics: readonly Diagnostic[]; tested: ReadonlySet<string> } {
  const tested = new Set<string>();
  const { diagnostics } = readProjectScenarios(project, undefined, (s) => tested.add(s.rule));
  return { diagnostics, tested };
}

/** Scenarios (those of the rules `wants` selects) and their problems; `visit` sees each one whose rule exists. */
function readProjectScenarios(project: RuleProject, wants: ((ruleId: string) => boolean) | undefined, visit: (s: Scenario) => void): { diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const crossReference: Diagnostic[] = [];
  const pipelines: Diagnostic[] = [];
  const byId = new Map(project.rules.rules.map((r) => [r.id, r]));
  forEachScenario(project.scenarioDir, project.root, wants, (r) => {
    diagnostics.push(...r.diagnostics);
    const s = r.scenario;
    if (!s) return;
    pipelines.push(...pipelineReferenceProblems(undefined, [s], project.root));
    const rule = byId.get(s.rule);
    if (!rule) {
      crossReference.push({ code: 'scenario/unknown-rule', severity: 'error', message: `scenario refers to rule '${s.rule}', which no file under rules/ defines`, span: { file: s.file, line: s.ruleLine, column: 1 } });
      return;
    }
    visit(s);
    const mirrored = mirroredScenarioPath(rule.source.file);
    if (s.file !== mirrored && rule.source.file.startsWith('rules/')) {
      crossReference.push({ code: 'scenario/misplaced', severity: 'warning', message: `scenario for ${rule.source.file} should live at ${mirrored}`, span: { file: s.file, line: 1, column: 1 } });
    }
    for (const c of s.cases) {
      for (const other of c.alsoFires) {
        if (!byId.has(other)) crossReference.push({ code: 'scenario/unknown-rule', severity: 'error', message: `case '${c.name}' declares also_fires '${other}', which no file under rules/ defines`, span: { file: s.file, line: c.line, column: 1 } });
      }
    }
  });
  // harness.config.yml's pipelines with the whole project's scenarios, not again per selection.
  if (!wants) pipelines.push(...pipelineReferenceProblems(project.config, [], project.root));
  return { diagnostics: [...diagnostics, ...crossReference, ...pipelines] };
}

/** Pipelines named by scenarios and harness.config.yml that do not resolve (a built-in, `none`, or a pipeline file that loads). */
function pipelineReferenceProblems(config: HarnessConfig | undefined, scenarios: readonly Scenario[], base: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (ref: string, span: { file: string; line: number; column: number }): void => {
    try {
      pipelineOf(ref.split('+'), base);
    } catch (e) {
      if (!(e instanceof HarnessError)) throw e;
      for (const d of e.diagnostics) out.push({ ...d, span: d.code === 'pipeline/unknown' || !d.span ? span : d.span });
    }
  };
  for (const s of scenarios) for (const ref of s.pipelines ?? []) check(ref, { file: s.file, line: 1, column: 1 });
  for (const scope of config?.pipelines ?? []) for (const ref of scope.use) check(ref, { file: 'harness.config.yml', line: 1, column: 1 });
  return out;
}
