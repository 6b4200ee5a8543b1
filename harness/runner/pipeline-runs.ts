/**
 * Scenario runs under Sigma processing pipelines: which pipelines a rule's
 * scenario runs under (the scenario's `pipeline(s)`, else harness.config.yml's
 * `pipelines`, else none), the project compiled once per pipeline (Sigma rules
 * mapped, Elastic rules as they are, so cross-fire spans both languages), and
 * each case's events for that pipeline (given under `events_for`, or
 * translated from Sigma's field names by the pipeline's inverse mapping).
 */
import { configuredPipelines } from '../config.ts';
import type { Rule } from '../core/rule.ts';
import { compileRuleSet, type CompiledRuleSet } from '../engines/registry.ts';
import type { ComposedPipeline } from '../engines/sigma/pipeline/apply.ts';
import { NO_PIPELINE, pipelineOf } from '../engines/sigma/pipeline/builtin.ts';
import { translateEvents } from '../engines/sigma/pipeline/inverse.ts';
import type { RuleProject } from '../project/load-project.ts';
import type { Case, Scenario } from '../scenarios/model.ts';

/** A case as it runs under one pipeline, with what the translation had to choose. */
export interface PipelineCase {
  readonly case: Case;
  readonly notes: readonly string[];
}

export class PipelineRuns {
  private readonly compiledByName = new Map<string, CompiledRuleSet>();
  private readonly pipelines = new Map<string, ComposedPipeline | undefined>();
  constructor(private readonly project: RuleProject) {}

  /** The pipelines a scenario of this rule runs under; `sysmon+ecs_windows` composes two. Elastic rules: none. */
  pipelinesOf(rule: Rule, scenario: Scenario): readonly string[] {
    if (rule.format !== 'sigma') return [NO_PIPELINE];
    return scenario.pipelines ?? configuredPipelines(this.project.config, rule.source.file, rule.logsource) ?? [NO_PIPELINE];
  }

  /** Does the scenario run as written (the plain suite's cases and cross-fire)? */
  runsWithoutPipeline(rule: Rule, scenario: Scenario): boolean {
    return this.pipelinesOf(rule, scenario).includes(NO_PIPELINE);
  }

  pipeline(name: string): ComposedPipeline | undefined {
    if (!this.pipelines.has(name)) this.pipelines.set(name, pipelineOf(name.split('+'), this.project.root));
    return this.pipelines.get(name);
  }

  /** The whole project compiled under a pipeline (throws HarnessError for an unknown or bad pipeline). */
  compiled(name: string): CompiledRuleSet {
    const pipeline = this.pipeline(name);
    if (!pipeline) return this.project.compiled;
    let c = this.compiledByName.get(name);
    if (!c) this.compiledByName.set(name, (c = compileRuleSet(this.project.rules, this.project.config, pipeline)));
    return c;
  }

  /** A case's events under a pipeline: `events_for.<name>` if given, else translated (throws InverseMappingConflict). */
  caseUnder(name: string, rule: Rule, c: Case): PipelineCase {
    const given = c.eventsFor?.[name];
    if (given) return { case: { ...c, events: given }, notes: [] };
    const pipeline = this.pipeline(name);
    if (!pipeline) return { case: c, notes: [] };
    const t = translateEvents(rule, pipeline, c.events);
    return { case: { ...c, events: t.events }, notes: t.notes };
  }

  /** The scenario with every case's events under a pipeline (for cross-fire). */
  scenarioUnder(name: string, rule: Rule, scenario: Scenario): Scenario {
    return { ...scenario, cases: scenario.cases.map((c) => this.caseUnder(name, rule, c).case) };
  }
}
