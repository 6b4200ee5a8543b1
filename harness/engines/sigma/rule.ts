/**
 * A Sigma rule → Detector: the detection section compiled once, every filter
 * that targets the rule ANDed on, and one alert per matching event.
 */
import type { Alert, Constraints, Detector, Trace } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { LocatedError, type LocatedWarning } from '../../core/located-error.ts';
import type { Rule } from '../../core/rule.ts';
import { compileContext, compileParsedSection, parseSection, type ParsedSection, type SigmaOptions } from './detections.ts';
import { filterApplies, type SigmaFilter } from './filter.ts';
import { BoolNode, NotNode, type Node } from './nodes.ts';
import { applyPipeline, type ComposedPipeline, type MappedRule } from './pipeline/apply.ts';
import { PipelineRejection } from './pipeline/model.ts';

const RESERVED = new Set(['condition', 'timeframe']);
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class SigmaDetector implements Detector {
  private logic: Constraints | undefined;
  constructor(
    readonly rule: Rule,
    private readonly node: Node,
    private readonly conditionText: string,
    readonly warnings: readonly LocatedWarning[] = [],
    /** The rule as a processing pipeline mapped it (absent without a pipeline). */
    readonly mapping?: MappedRule & { readonly pipeline: string },
  ) {}

  detect(events: readonly Event[]): Alert[] {
    const out: Alert[] = [];
    for (let i = 0; i < events.length; i++) if (this.node.test(events[i]!)) out.push({ rule: this.rule.id, events: [i] });
    return out;
  }

  matches(event: Event): boolean {
    return this.node.test(event);
  }

  /** Root `condition: <text>`; an operator at the top becomes the root itself, so the trace mirrors the predicate. */
  explain(event: Event): Trace {
    const t = this.node.explain(event);
    const label = `condition: ${this.conditionText}`;
    const operatorRoot = (this.node instanceof BoolNode && !this.node.named) || this.node instanceof NotNode;
    return operatorRoot ? { ...t, label } : { label, result: t.result, children: [t] };
  }

  constraints(): Constraints {
    return (this.logic ??= { logic: this.node.predicate() });
  }
}

/**
 * Is this a Sigma detection-rule detector? Its `constraints().logic` then describes
 * `matches` exactly, leaf for leaf (value-tests.ts), which prefilters rely on.
 */
export function isSigmaEventDetector(d: Detector): boolean {
  return d instanceof SigmaDetector;
}

function mappedFilter(f: SigmaFilter, rule: Rule, pipeline: ComposedPipeline): ParsedSection {
  try {
    return applyPipeline(pipeline, rule, f.parsed).section;
  } catch (e) {
    if (e instanceof PipelineRejection) throw new LocatedError('sigma/pipeline-rejected', `rejected by pipeline ${pipeline.name} (in filter ${f.label}): ${e.message}`, ['detection'], { atKey: true });
    throw e;
  }
}

/** How a processing pipeline mapped the rule behind this detector, if one did. */
export function pipelineMappingOf(d: Detector): (MappedRule & { readonly pipeline: string }) | undefined {
  return d instanceof SigmaDetector ? d.mapping : undefined;
}

/**
 * Compile a Sigma detection rule (throws LocatedError with paths into the rule document).
 * @example compileSigmaRule(rule, [], { placeholders: {} }).detect([{ Image: 'C:\\x\\cmd.exe' }])
 */
export function compileSigmaRule(rule: Rule, filters: readonly SigmaFilter[], opts: SigmaOptions): Detector {
  const detection = rule.body.detection;
  if (!isMap(detection)) throw new LocatedError('sigma/missing-detection', "a rule needs a 'detection' mapping", detection === undefined ? [] : ['detection']);
  const pipeline = opts.pipeline;
  const ctx = compileContext(opts, pipeline !== undefined);
  let parsed = parseSection(detection, ['detection'], RESERVED, ctx);
  let mapping: (MappedRule & { pipeline: string }) | undefined;
  if (pipeline) {
    try {
      mapping = { ...applyPipeline(pipeline, rule, parsed), pipeline: pipeline.name };
    } catch (e) {
      if (e instanceof PipelineRejection) throw new LocatedError('sigma/pipeline-rejected', `rejected by pipeline ${pipeline.name}: ${e.message}`, e.path.length > 0 ? e.path : ['detection'], { atKey: e.path.length === 0 });
      throw e;
    }
    parsed = mapping.section;
  }
  const { node, text } = compileParsedSection(parsed, ctx);
  const applied = filters.filter((f) => filterApplies(f, rule));
  if (applied.length === 0) return new SigmaDetector(rule, node, text, ctx.warnings, mapping);
  const combined = `(${text})${applied.map((f) => ` and filter ${f.label}: (${f.condition})`).join('')}`;
  // Under a pipeline each filter is mapped as part of this rule (same logsource and tags); conditions
  // the pipeline adds are ANDed onto the rule already, so adding them to the filter changes nothing.
  const filterNodes = applied.map((f) => (pipeline ? compileParsedSection(mappedFilter(f, rule, pipeline), ctx).node : f.node));
  return new SigmaDetector(rule, new BoolNode('and', [node, ...filterNodes], combined), combined, ctx.warnings, mapping);
}
