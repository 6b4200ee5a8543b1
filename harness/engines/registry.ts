import type { Diagnostic } from '../core/diagnostics.ts';
import type { Detector, NotEvaluable } from '../core/detector.ts';
import { LocatedError, type DocPath, type LocatedWarning } from '../core/located-error.ts';
import type { Rule } from '../core/rule.ts';
import type { HarnessConfig } from '../config.ts';
import type { RuleSet } from '../rules/load.ts';
import { locateTomlKey } from '../rules/toml-locate.ts';
import { locateInYaml } from '../rules/yaml-locate.ts';
import { compileElasticRule } from './elastic/index.ts';
import { configuredMappings } from '../mapping/configured.ts';
import { compileFilter, compileSigmaRule, type SigmaFilter, type SigmaOptions } from './sigma/index.ts';
import { compileCorrelation } from './sigma/correlation/index.ts';
import type { ComposedPipeline } from './sigma/pipeline/apply.ts';
import { mapCorrelationFields } from './sigma/pipeline/correlation.ts';
import { PipelineRejection } from './sigma/pipeline/model.ts';

/** The compiled form of a RuleSet: a detector per evaluable rule, and every rule that is not, with why. */
export interface CompiledRuleSet {
  readonly detectors: ReadonlyMap<string, Detector>;
  readonly notEvaluable: readonly NotEvaluable[];
  readonly diagnostics: readonly Diagnostic[];
  /** Rules that only feed a correlation with `generate: false`: they raise no alerts of their own. */
  readonly silentBases: ReadonlySet<string>;
}

interface CorrelationMeta {
  readonly generate: boolean;
  readonly references: readonly string[];
}

function correlationMeta(d: Detector): CorrelationMeta | undefined {
  const m = d as Partial<CorrelationMeta>;
  return typeof m.generate === 'boolean' && Array.isArray(m.references) ? { generate: m.generate, references: m.references } : undefined;
}

/** Where a problem is, as LocatedError and LocatedWarning both say it. */
type Located = Pick<LocatedWarning, 'path' | 'offset' | 'atKey'>;

/** Compile every rule of a set (Sigma rules under `pipeline` if given); compile errors become located diagnostics and not-evaluable entries. */
export function compileRuleSet(set: RuleSet, config: HarnessConfig, pipeline?: ComposedPipeline): CompiledRuleSet {
  const diagnostics: Diagnostic[] = [];
  const notEvaluable: NotEvaluable[] = [];
  const detectors = new Map<string, Detector>();
  const byName = new Map<string, Detector>();
  // A processing pipeline maps every Sigma rule (and the rules correlations build on); Elastic rules are unaffected.
  const opts: SigmaOptions = { placeholders: config.sigma.placeholders, ...(pipeline ? { pipeline } : {}) };
  // What a pipeline file holds but the harness ignores (postprocessing, finalizers) is said once per compile.
  for (const p of pipeline?.pipelines ?? []) for (const message of p.warnings) diagnostics.push({ code: 'pipeline/ignored', severity: 'warning', message, span: { file: p.file, line: 1, column: 1 } });

  const locate = (file: string, document: number, path: DocPath, e: Located) =>
    locateInYaml(file, set.texts.get(file) ?? '', document, path, { atKey: e.atKey ?? false, ...(e.offset !== undefined ? { offset: e.offset } : {}) });
  const locateRule = (rule: Rule, e: Located) =>
    rule.format === 'elastic' ? locateInToml(rule, set.texts.get(rule.source.file) ?? '', e) : locate(rule.source.file, rule.document, e.path, e);
  const reject = (rule: Rule, e: unknown): void => {
    const message = e instanceof Error ? e.message : String(e);
    const span = e instanceof LocatedError ? locateRule(rule, e) : rule.source;
    const code = e instanceof LocatedError ? e.code : 'engine/internal';
    diagnostics.push({ code, severity: 'error', message, span, ruleId: rule.id });
    notEvaluable.push({ rule, reason: message });
  };
  const accept = (rule: Rule, d: Detector): void => {
    for (const w of d.warnings ?? []) diagnostics.push({ code: w.code, severity: 'warning', message: w.message, span: locateRule(rule, w), ruleId: rule.id });
    detectors.set(rule.id, d);
    if (rule.name) byName.set(rule.name, d);
  };

  const filters: SigmaFilter[] = [];
  for (const f of set.filters) {
    try {
      const filter = compileFilter(f.body, opts);
      filters.push(filter);
      for (const w of filter.warnings) diagnostics.push({ code: w.code, severity: 'warning', message: w.message, span: locate(f.file, f.document, w.path, w) });
    } catch (e) {
      const span = e instanceof LocatedError ? locate(f.file, f.document, e.path, e) : { file: f.file, line: f.line, column: 1 };
      diagnostics.push({ code: e instanceof LocatedError ? e.code : 'engine/internal', severity: 'error', message: (e as Error).message, span });
    }
  }

  const pending: Rule[] = [];
  let mappings: ReturnType<typeof configuredMappings> | undefined;
  for (const rule of set.rules) {
    if (rule.format === 'elastic') {
      try {
        mappings ??= configuredMappings(config.elastic);
        const r = compileElasticRule(rule, mappings.forIndices(rule.index));
        if (r.ok) accept(rule, r.detector);
        else notEvaluable.push({ rule, reason: r.reason });
      } catch (e) {
        reject(rule, e);
      }
      continue;
    }
    if (rule.kind === 'correlation') {
      pending.push(rule);
      continue;
    }
    try {
      accept(rule, compileSigmaRule(rule, filters, opts));
    } catch (e) {
      reject(rule, e);
    }
  }
  compileCorrelations(pending, (ref) => detectors.get(ref) ?? byName.get(ref), accept, reject, config, pipeline);

  const silentBases = new Set<string>();
  const generating = new Set<string>();
  for (const d of detectors.values()) {
    const meta = correlationMeta(d);
    if (!meta) continue;
    for (const ref of meta.references) {
      const base = detectors.get(ref) ?? byName.get(ref);
      if (base) (meta.generate ? generating : silentBases).add(base.rule.id);
    }
  }
  for (const id of generating) silentBases.delete(id);
  return { detectors, notEvaluable, diagnostics, silentBases };
}

/** Correlations may reference correlations: compile in rounds until no more resolve. */
function compileCorrelations(
  pending: Rule[],
  resolve: (ref: string) => Detector | undefined,
  accept: (rule: Rule, d: Detector) => void,
  reject: (rule: Rule, e: unknown) => void,
  config: HarnessConfig,
  pipeline?: ComposedPipeline,
): void {
  let todo = pending;
  const timestampFields = config.sigma.timestampFields;
  const opts = timestampFields ? { timestampFields } : {};
  while (todo.length > 0) {
    const next: Rule[] = [];
    const errors = new Map<Rule, unknown>();
    for (const rule of todo) {
      try {
        accept(rule, compileCorrelation(pipeline ? correlationUnder(rule, resolve, pipeline) : rule, resolve, opts));
      } catch (e) {
        next.push(rule);
        errors.set(rule, e);
      }
    }
    if (next.length === todo.length) {
      for (const rule of next) reject(rule, errors.get(rule));
      return;
    }
    todo = next;
  }
}

/** A correlation's field names as the pipeline maps its referenced rules' fields (the first resolvable one gives the logsource). */
function correlationUnder(rule: Rule, resolve: (ref: string) => Detector | undefined, pipeline: ComposedPipeline): Rule {
  const c = rule.body.correlation;
  const refs = typeof c === 'object' && c !== null && !Array.isArray(c) ? (c as Record<string, unknown>).rules : undefined;
  const list = typeof refs === 'string' ? [refs] : Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : [];
  const base = list.map(resolve).find((d) => d !== undefined && d.rule.kind !== 'correlation')?.rule;
  if (!base) return rule;
  try {
    return mapCorrelationFields(rule, base, pipeline);
  } catch (e) {
    if (e instanceof PipelineRejection) throw new LocatedError('sigma/pipeline-rejected', `rejected by pipeline ${pipeline.name}: ${e.message}`, ['correlation'], { atKey: true });
    throw e;
  }
}

/** A LocatedError inside an Elastic rule: the `[rule]` key, and the line/column inside the query text. */
function locateInToml(rule: Rule, text: string, e: Located) {
  const key = String(e.path[0] ?? 'query');
  const value = rule.body[key];
  if (e.offset === undefined || typeof value !== 'string') return locateTomlKey(rule.source.file, text, key);
  const before = value.slice(0, e.offset).split('\n');
  return locateTomlKey(rule.source.file, text, key, { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 });
}
