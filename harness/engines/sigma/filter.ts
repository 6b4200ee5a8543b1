/**
 * Sigma filter documents (filters spec v2.0.0; pySigma `filters.py`; sigma.md
 * §10): a filter applies to a rule when its logsource contains the rule's and
 * the rule is listed by id or name (or `rules: any`); the rule's condition C
 * becomes `(C) and (F)`, F being the filter's own condition.
 */
import { LocatedError, type LocatedWarning } from '../../core/located-error.ts';
import type { LogSource, Rule } from '../../core/rule.ts';
import { compileContext, compileParsedSection, parseSection, type ParsedSection, type SigmaOptions } from './detections.ts';
import type { Node } from './nodes.ts';

export interface SigmaFilter {
  /** How traces and messages name it: `name`, else `id`, else `title`. */
  readonly label: string;
  readonly id?: string;
  /** Rule ids or names it targets (lower-cased), or 'any' (pySigma: `any`/`all`, or an empty list). */
  readonly rules: ReadonlySet<string> | 'any';
  readonly logsource: LogSource;
  /** The filter's condition as written. */
  readonly condition: string;
  /** What must hold for an alert to survive (usually `not selection`). */
  readonly node: Node;
  /** What compiled but is likely not what the author meant (paths into the filter document). */
  readonly warnings: readonly LocatedWarning[];
  /** The parsed filter section, which a processing pipeline maps along with each rule it applies to. */
  readonly parsed: ParsedSection;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const RESERVED = new Set(['rules', 'condition']);

function targets(v: unknown): ReadonlySet<string> | 'any' {
  if (typeof v === 'string') return ['any', 'all'].includes(v.toLowerCase()) ? 'any' : new Set([v.toLowerCase()]);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length === 0 ? 'any' : new Set(v.map((x: string) => x.toLowerCase()));
  throw new LocatedError('sigma/filter-rules', "filter 'rules' must be 'any', a rule id or name, or a list of them", ['filter', 'rules']);
}

function logsourceOf(v: unknown): LogSource {
  if (!isMap(v)) throw new LocatedError('sigma/filter-logsource', 'a filter needs a logsource mapping', isMap(v) || v === undefined ? [] : ['logsource']);
  const out: { category?: string; product?: string; service?: string } = {};
  for (const k of ['category', 'product', 'service'] as const) if (typeof v[k] === 'string') out[k] = v[k].toLowerCase();
  return out;
}

/**
 * Compile a filter document (throws LocatedError with paths into the document).
 * @example compileFilter({ title: 'DCs', logsource: { product: 'windows' }, filter: { rules: 'any', sel: { ComputerName|startswith: 'DC-' }, condition: 'not sel' } }, opts)
 */
export function compileFilter(body: Readonly<Record<string, unknown>>, opts: SigmaOptions): SigmaFilter {
  const section = body.filter;
  if (!isMap(section)) throw new LocatedError('sigma/filter-section', "a filter document needs a 'filter' mapping", ['filter']);
  if (!('rules' in section)) throw new LocatedError('sigma/filter-rules', "filter has no 'rules' (use 'any' to apply it to every rule of its logsource)", ['filter'], { atKey: true });
  if (typeof section.condition !== 'string') throw new LocatedError('sigma/filter-condition', 'a filter condition must be one string', section.condition === undefined ? ['filter'] : ['filter', 'condition'], { atKey: section.condition === undefined });
  const rules = targets(section.rules);
  const logsource = logsourceOf(body.logsource);
  const id = typeof body.id === 'string' ? body.id : undefined;
  const label = [body.name, id, body.title].find((x): x is string => typeof x === 'string') ?? 'filter';
  const ctx = compileContext(opts);
  const parsed = parseSection(section, ['filter'], RESERVED, ctx, (n) => `${label}/${n}`);
  const { node, text } = compileParsedSection(parsed, ctx);
  return { label, ...(id ? { id } : {}), rules, logsource, condition: text, node, warnings: ctx.warnings, parsed };
}

/** Does this filter apply to the rule? (Never to correlations.) */
export function filterApplies(f: SigmaFilter, rule: Rule): boolean {
  if (rule.kind === 'correlation') return false;
  for (const k of ['category', 'product', 'service'] as const) {
    const want = f.logsource[k];
    if (want !== undefined && rule.logsource?.[k] !== want) return false;
  }
  if (f.rules === 'any') return true;
  return f.rules.has(rule.id.toLowerCase()) || (rule.name !== undefined && f.rules.has(rule.name.toLowerCase()));
}
