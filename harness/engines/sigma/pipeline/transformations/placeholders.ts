/**
 * Placeholder transformations (pySigma `transformations/placeholder.py`) for
 * `|expand` values whose `%name%` has no value in harness.config.yml: the
 * engine leaves them in the text when a pipeline runs, and these resolve them
 * to wildcards or to the pipeline's `vars`. Query-expression placeholders
 * become backend query text, which no event can be tested against here.
 */
import { STAR, text, type PatternToken } from '../../../common/pattern.ts';
import type { ParsedItem } from '../../detection-item.ts';
import { literal, parseSigmaString, product, type SigmaString } from '../../sigma-string.ts';
import type { SigmaValue } from '../../values.ts';
import { DEFERRED_PLACEHOLDER, deferredPlaceholder } from '../../modifiers.ts';
import { PipelineRejection, type Run, type Transformation } from '../model.ts';
import type { Params } from '../params.ts';
import { valueTransformation } from '../walk.ts';


type Part = { readonly token: PatternToken } | { readonly placeholder: string };

/** A deferred string split into tokens and placeholders. */
function partsOf(s: SigmaString): Part[] {
  const out: Part[] = [];
  for (const t of s) {
    if (t.kind !== 'text') {
      out.push({ token: t });
      continue;
    }
    let last = 0;
    for (const m of t.text.matchAll(DEFERRED_PLACEHOLDER)) {
      if (m.index > last) out.push({ token: text(t.text.slice(last, m.index)) });
      out.push({ placeholder: m[1]! });
      last = m.index + m[0].length;
    }
    if (last < t.text.length) out.push({ token: text(t.text.slice(last)) });
  }
  return out;
}

/** Placeholders the item still carries (only `|expand` items have any). */
export function placeholdersOf(item: ParsedItem): string[] {
  if (!item.modifiers.includes('expand')) return [];
  const names: string[] = [];
  const visit = (v: SigmaValue): void => {
    if (v.kind === 'string') for (const p of partsOf(v.s)) if ('placeholder' in p) names.push(p.placeholder);
    if (v.kind === 'expansion') v.values.forEach(visit);
  };
  item.values.forEach(visit);
  return names;
}

interface Scope {
  readonly include: readonly string[] | null;
  readonly exclude: readonly string[] | null;
}
function scopeOf(p: Params): Scope {
  const include = p.strings('include', true);
  const exclude = p.strings('exclude', true);
  if (include && exclude) p.fail('include and exclude lists can only be used exclusively');
  return { include, exclude };
}
const handled = (s: Scope, name: string): boolean => (s.include === null || s.include.includes(name)) && (s.exclude === null || !s.exclude.includes(name));

/** Replace each handled placeholder by alternatives; several give one value per combination (pySigma `replace_placeholders`). */
function replacing(scope: Scope, alternatives: (name: string, run: Run) => readonly SigmaString[], note: string): Transformation {
  return valueTransformation((_f, v, item, run) => {
    if (v.kind !== 'string' || !item.modifiers.includes('expand')) return undefined;
    const parts = partsOf(v.s);
    if (!parts.some((p) => 'placeholder' in p && handled(scope, p.placeholder))) return undefined;
    const alts = parts.map((p) => ('token' in p ? [[p.token]] : handled(scope, p.placeholder) ? alternatives(p.placeholder, run) : [literal(deferredPlaceholder(p.placeholder))]));
    return product(alts).map((s): SigmaValue => ({ ...v, s }));
  }, note);
}

export const PLACEHOLDER_TRANSFORMATIONS = {
  wildcard_placeholders: (p: Params): Transformation => replacing(scopeOf(p), () => [[STAR]], 'wildcard_placeholders'),
  value_placeholders: (p: Params): Transformation =>
    replacing(
      scopeOf(p),
      (name, run) => {
        // The composed pipeline's vars (pySigma reads `self._pipeline.vars` after pipelines are summed).
        const all = run.vars;
        if (!Object.prototype.hasOwnProperty.call(all, name)) throw new PipelineRejection(`Placeholder replacement variable '${name}' doesn't exists.`);
        const raw = all[name];
        const list = Array.isArray(raw) ? raw : [raw];
        if (!list.every((x) => typeof x === 'string' || typeof x === 'number')) throw new PipelineRejection(`Replacement variable '${name}' contains value which is not a string or number.`);
        return list.map((x) => parseSigmaString(String(x)));
      },
      'value_placeholders',
    ),
  query_expression_placeholders: (p: Params): Transformation => {
    const scope = scopeOf(p);
    p.str('expression', '');
    p.map('mapping', true);
    return valueTransformation((_f, v, item) => {
      if (v.kind !== 'string' || !item.modifiers.includes('expand')) return undefined;
      const parts = partsOf(v.s);
      const names = parts.flatMap((x) => ('placeholder' in x ? [x.placeholder] : []));
      if (names.length === 0) return undefined;
      if (parts.length !== 1) throw new PipelineRejection('Placeholder query expression transformation only allows placeholder-only strings.', item.path);
      if (!handled(scope, names[0]!)) return undefined;
      throw new PipelineRejection(`placeholder %${names[0]!}% becomes a backend query expression (query_expression_placeholders), which the harness cannot evaluate on events`, item.path);
    });
  },
} as const;
