import type { Event } from '../core/event.ts';
import type { Command, Expr, Query } from '../engines/esql/ast.ts';
import { parseDissect } from '../engines/esql/commands/dissect.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { walk } from './esql-plant.ts';
import { setField } from './event-edit.ts';
import type { Ctx, Draft } from './scaffold.ts';

/**
 * DISSECT run backwards: the constraint model cannot see through a DISSECT, so a
 * WHERE on its keys is opaque. Here the source field's text is built from the
 * pattern with, in each named slot, a value the WHERE clauses name for that key
 * (`k == "ec2"`, `k IN (…)`, `ENDS_WITH(k, ".js")`, `k LIKE "*x*"`), else a plain
 * token. A DISSECT of an earlier DISSECT's key fills that key. Positives only; the
 * engine's check of the draft decides whether the text really fires.
 */
type Dissect = Command & { command: 'dissect' };

const str = (e: Expr | undefined): string | undefined => (e?.type === 'literal' && e.literal.kind === 'string' ? e.literal.value : undefined);
const fieldName = (e: Expr | undefined): string | undefined => (e?.type === 'field' ? e.name : undefined);

/** A value the WHERE clauses ask of column `key`, if they name one. */
export function wanted(wheres: readonly Expr[], key: string): string | undefined {
  for (const w of wheres)
    for (const x of walk(w)) {
      if (x.type === 'binary' && x.op === '==' && fieldName(x.left) === key && str(x.right) !== undefined) return str(x.right);
      if (x.type === 'in' && !x.negated && fieldName(x.operand) === key && str(x.list[0]) !== undefined) return str(x.list[0]);
      if (x.type === 'like' && !x.negated && fieldName(x.operand) === key && x.patterns[0]) return x.patterns[0].replace(/\*/g, '').replace(/\?/g, 'x');
      if (x.type === 'call' && fieldName(x.args[0]) === key && str(x.args[1]) !== undefined) {
        const name = x.name.toUpperCase();
        if (name === 'ENDS_WITH') return `sample${str(x.args[1])!}`;
        if (name === 'STARTS_WITH') return `${str(x.args[1])!}sample`;
      }
    }
  return undefined;
}

/** Functions that leave plain text (lower case, no `%`, no backslash) as it is: a DISSECT / GROK of such an EVAL is inverted onto its source field. */
const PASS_THROUGH = new Set(['TO_LOWER', 'URL_DECODE', 'TRIM', 'REPLACE']);

/** The source field column `name` carries through EVALs of pass-through functions, or `name` itself when no EVAL defines it; undefined for any other computation. */
export function sourceField(q: Query, name: string): string | undefined {
  const defs = new Map(q.commands.flatMap((c) => (c.command === 'eval' ? c.fields.map((f) => [f.name, f.expr] as const) : [])));
  const seen = new Set<string>();
  let e: Expr | undefined = defs.get(name);
  let field = name;
  while (e) {
    if (e.type === 'call' && PASS_THROUGH.has(e.name.toUpperCase())) e = e.args[0];
    else if (e.type === 'field' && !seen.has(e.name)) {
      seen.add(e.name);
      field = e.name;
      e = defs.get(e.name);
    } else return undefined;
  }
  return field;
}

/** The source fields to set: each DISSECT over a source field, its text built from the pattern. */
export function dissectTexts(q: Query): Map<string, string> {
  const dissects = q.commands.filter((c): c is Dissect => c.command === 'dissect');
  const wheres = q.commands.flatMap((c) => (c.command === 'where' ? [c.condition] : []));
  const keysOf = new Set<string>();
  for (const d of dissects) for (const p of parseDissect(d.pattern, q.source, d.patternAt)) if (p.kind === 'key') keysOf.add(p.name);
  const filled = new Map<string, string>();
  const out = new Map<string, string>();
  let n = 0;
  // Last first: a later DISSECT of an earlier key decides that key's text.
  for (const d of [...dissects].reverse()) {
    const input = fieldName(d.input);
    const target = input && (keysOf.has(input) ? input : sourceField(q, input));
    if (!target) continue;
    const text = parseDissect(d.pattern, q.source, d.patternAt)
      .map((p) => (p.kind === 'literal' ? p.text : p.mode === 'skip' || !p.name ? 'k' : (filled.get(p.name) ?? wanted(wheres, p.name) ?? `v${++n}`)))
      .join('');
    if (keysOf.has(target)) filled.set(target, text);
    else out.set(target, text);
  }
  return out;
}

/** The draft with every positive's DISSECT source fields holding text that dissects into the wanted values. */
export function plantDissected(c: Ctx, d: Draft): Draft {
  const query = c.detector.rule.body.query;
  if (typeof query !== 'string' || !/dissect/i.test(query)) return d;
  let texts: Map<string, string>;
  try {
    texts = dissectTexts(parseEsql(query));
  } catch {
    return d;
  }
  return plantTexts(c, d, texts, 'DISSECT text built from the pattern');
}

/** The draft with every positive's events holding `texts` (source field → text), said in the notes. */
export function plantTexts(c: Ctx, d: Draft, texts: ReadonlyMap<string, string>, what: string): Draft {
  if (!texts.size) return d;
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  const plant = (e: Event): Event => [...texts].reduce((acc, [f, t]) => setField(acc, f, t, style) ?? acc, e);
  const cases = d.cases.map((k) => (k.role === 'positive' ? { ...k, events: k.events.map(plant) } : k));
  return { ...d, cases, notes: [...d.notes, `positives carry ${what} on ${[...texts.keys()].join(', ')}`] };
}
