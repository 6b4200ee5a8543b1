import { join, resolve } from 'node:path';
import { loadConfig, type HarnessConfig } from '../config.ts';
import { HarnessError, type Diagnostic } from '../core/diagnostics.ts';
import { pipelineOf } from '../engines/sigma/pipeline/builtin.ts';
import type { Rule } from '../core/rule.ts';
import { compileRuleSet, type CompiledRuleSet } from '../engines/registry.ts';
import { loadRules, type RuleSet } from '../rules/load.ts';
import { loadScenarios } from '../scenarios/load.ts';
import type { Scenario } from '../scenarios/model.ts';

/** A project on disk, loaded and compiled: what the suite, `lint` and reports work from. */
export interface Project {
  /** Absolute path of the project root; file names below are relative to it. */
  readonly root: string;
  readonly config: HarnessConfig;
  readonly rules: RuleSet;
  readonly compiled: CompiledRuleSet;
  readonly scenarios: readonly Scenario[];
  readonly scenariosByRule: ReadonlyMap<string, readonly Scenario[]>;
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
  // RULE_HARNESS_PROJECT points the suite and the CLI at another project tree (tests, monorepos).
  const root = paths.root ?? process.env.RULE_HARNESS_PROJECT ?? '.';
  const config = loadConfig(join(root, 'harness.config.yml'));
  // File names in messages and mirroring are relative to the project root.
  const base = resolve(root);
  const rules = loadRules(paths.rules ?? join(root, 'rules'), base);
  const compiled = compileRuleSet(rules, config);
  const scenarioSet = loadScenarios(paths.scenarios ?? join(root, 'scenarios'), base);
  const diagnostics: Diagnostic[] = [...rules.diagnostics, ...compiled.diagnostics, ...scenarioSet.diagnostics];
  const byId = new Map(rules.rules.map((r) => [r.id, r]));
  const scenariosByRule = new Map<string, Scenario[]>();
  for (const s of scenarioSet.scenarios) {
    const rule = byId.get(s.rule);
    if (!rule) {
      diagnostics.push({ code: 'scenario/unknown-rule', severity: 'error', message: `scenario refers to rule '${s.rule}', which no file under rules/ defines`, span: { file: s.file, line: s.ruleLine, column: 1 } });
      continue;
    }
    scenariosByRule.set(s.rule, [...(scenariosByRule.get(s.rule) ?? []), s]);
    const mirrored = mirroredScenarioPath(rule.source.file);
    if (s.file !== mirrored && rule.source.file.startsWith('rules/')) {
      diagnostics.push({ code: 'scenario/misplaced', severity: 'warning', message: `scenario for ${rule.source.file} should live at ${mirrored}`, span: { file: s.file, line: 1, column: 1 } });
    }
    for (const c of s.cases) {
      for (const other of c.alsoFires) {
        if (!byId.has(other)) diagnostics.push({ code: 'scenario/unknown-rule', severity: 'error', message: `case '${c.name}' declares also_fires '${other}', which no file under rules/ defines`, span: { file: s.file, line: c.line, column: 1 } });
      }
    }
  }
  diagnostics.push(...pipelineReferenceProblems(config, scenarioSet.scenarios, base));
  const rulesWithoutScenarios = rules.rules.filter((r) => !scenariosByRule.has(r.id));
  return { root: base, config, rules, compiled, scenarios: scenarioSet.scenarios, scenariosByRule, rulesWithoutScenarios, diagnostics };
}

/** Pipelines named by scenarios and harness.config.yml that do not resolve (a built-in, `none`, or a pipeline file that loads). */
function pipelineReferenceProblems(config: HarnessConfig, scenarios: readonly Scenario[], base: string): Diagnostic[] {
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
  for (const scope of config.pipelines ?? []) for (const ref of scope.use) check(ref, { file: 'harness.config.yml', line: 1, column: 1 });
  return out;
}
