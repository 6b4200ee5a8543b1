import type { Command, Expr } from '../engines/esql/ast.ts';

/**
 * A STATS group key worked back to the source field that decides it: `BY k`
 * where `k` is a field, or an EVAL of one through functions that keep the
 * value apart from case (`TO_LOWER`, `TO_UPPER`, `TO_STRING`, a `::keyword`
 * cast) or that take the field when it is set (`COALESCE(f, …)` takes its
 * first argument), or that rewrite it the same way for every event (REPLACE).
 * Setting that field in an event sets the key; `fold` says which case the key
 * ends up in. `also` names the fields the other COALESCE arguments and CASE
 * values read (`COALESCE(CASE(fw, source.ip, null), CASE(edr, host.ip, null))`):
 * an event of another kind sets the key through one of them, so a group that
 * joins kinds sets the value on all. Any other computation (GROK) has no source.
 */
export interface KeySource {
  readonly field: string;
  readonly fold?: 'lower' | 'upper';
  /** A REPLACE rewrites the value: events with one value of the field share the key, but the key is not the value. */
  readonly rewritten?: true;
  /** Fields that set the key too, for events the first does not (later COALESCE arguments, other CASE values). */
  readonly also?: readonly string[];
}

/** The first source and every other field the alternatives read, as one source (undefined when none has one). */
function anyOf(sources: readonly (KeySource | undefined)[]): KeySource | undefined {
  const known = sources.filter((s): s is KeySource => s !== undefined);
  const first = known[0];
  if (!first) return undefined;
  const also = [...new Set(known.flatMap((s) => [s.field, ...(s.also ?? [])]))].filter((f) => f !== first.field);
  return also.length ? { ...first, also } : first;
}

const KEEPS = new Set(['TO_STRING', 'TO_STR', 'TO_IP']);

/** The source of a key expression (`BY k = COALESCE(a, b)`) as the commands `defs` before the STATS define its columns. */
export function sourceOf(e: Expr, defs: readonly Command[], fold?: KeySource['fold']): KeySource | undefined {
  if (e.type === 'field') return keySource(e.name, defs, fold);
  if (e.type === 'cast' && (e.to === 'keyword' || e.to === 'string')) return sourceOf(e.operand, defs, fold);
  if (e.type === 'literal') return undefined;
  if (e.type !== 'call' || !e.args[0]) return undefined;
  const name = e.name.toUpperCase();
  if (name === 'TO_LOWER' || name === 'TO_UPPER') return sourceOf(e.args[0], defs, fold ?? (name === 'TO_LOWER' ? 'lower' : 'upper'));
  if (KEEPS.has(name)) return sourceOf(e.args[0], defs, fold);
  if (name === 'COALESCE') return anyOf(e.args.map((a) => sourceOf(a, defs, fold)));
  // CASE(c1, v1, …, otherwise): the values (a null literal has no source).
  if (name === 'CASE') return anyOf(e.args.filter((_, i) => i % 2 === 1 || i === e.args.length - 1).map((a) => sourceOf(a, defs, fold)));
  if (name === 'REPLACE') {
    const inner = sourceOf(e.args[0], defs, fold);
    return inner && { ...inner, rewritten: true };
  }
  return undefined;
}

/**
 * The source of column `name` as the commands `defs` (those before the STATS, in
 * order) define it: the last EVAL / RENAME that makes it, else the field itself.
 * Undefined when a GROK / DISSECT / other computation makes it.
 */
export function keySource(name: string, defs: readonly Command[], fold?: KeySource['fold']): KeySource | undefined {
  for (let i = defs.length - 1; i >= 0; i--) {
    const c = defs[i]!;
    const earlier = defs.slice(0, i);
    if (c.command === 'eval') {
      // The last definition in one EVAL wins; it reads the columns before it.
      const fields = c.fields.filter((f) => f.name === name);
      const def = fields.at(-1);
      if (def) return sourceOf(def.expr, [...earlier, { ...c, fields: c.fields.slice(0, c.fields.indexOf(def)) }], fold);
    }
    if (c.command === 'rename') {
      const r = c.renames.find((x) => x.to.pattern === name);
      if (r) return keySource(r.from.pattern, earlier, fold);
    }
    if (c.command === 'grok' || c.command === 'dissect' || c.command === 'completion') {
      if (patternText(c).includes(name)) return undefined;
    }
  }
  return { field: name, ...(fold ? { fold } : {}) };
}

/** The text naming what a GROK / DISSECT / COMPLETION makes (a column it names there may be made by it). */
function patternText(c: Command & { command: 'grok' | 'dissect' | 'completion' }): string {
  return c.command === 'grok' ? c.patterns.join(' ') : c.command === 'dissect' ? c.pattern : c.target;
}
