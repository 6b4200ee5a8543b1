import type { Event } from '../../../core/event.ts';
import type { EventCandidates } from '../../../core/prefilter.ts';
import { fieldGetter, type FieldGetter } from '../../common/fields.ts';
import { conjuncts, type Expr, type Query } from '../ast.ts';
import { keywordText } from '../events-index.ts';
import type { TableTyping } from './tables.ts';

/**
 * The ES|QL prefilter: a (field, value) pair an event must hold for the query
 * to return a row for it — one conjunct `field == "literal"` or
 * `field IN ("a", "b")` of a WHERE reached before any command that could
 * change the field (only WHERE, KEEP, DROP, SORT and LIMIT before it), on a
 * keyword or text field (ES|QL compares those exactly). A rule without such
 * a conjunct is a candidate for every event. Each rule's `matches` still decides.
 */
export interface Anchor {
  readonly field: string;
  readonly values: readonly string[];
}

const STRING_TYPES = new Set(['keyword', 'text', 'match_only_text', 'wildcard']);

const stringLiteral = (e: Expr): string | undefined => (e.type === 'literal' && e.literal.kind === 'string' ? e.literal.value : undefined);

function anchorOf(e: Expr): Anchor | undefined {
  if (e.type === 'binary' && e.op === '==') {
    const [f, v] = e.left.type === 'field' ? [e.left, stringLiteral(e.right)] : e.right.type === 'field' ? [e.right, stringLiteral(e.left)] : [undefined, undefined];
    return f?.type === 'field' && v !== undefined ? { field: f.name, values: [v] } : undefined;
  }
  if (e.type === 'in' && !e.negated && e.operand.type === 'field') {
    const values = e.list.map(stringLiteral);
    return values.every((v) => v !== undefined) ? { field: e.operand.name, values: values as string[] } : undefined;
  }
  return undefined;
}

/** The query's anchor, if it has one the prefilter can trust (see above). */
export function queryAnchor(q: Query, typing: TableTyping): Anchor | undefined {
  for (const c of q.commands.slice(1)) {
    if (c.command === 'where') {
      for (const e of conjuncts(c.condition)) {
        const a = anchorOf(e);
        // A constant_keyword reads the mapping's value when the event has none: no anchor there.
        if (a && !a.field.startsWith('_') && STRING_TYPES.has(typing.types.typeOf(a.field)?.type ?? 'keyword')) return a;
      }
      continue;
    }
    if (c.command !== 'keep' && c.command !== 'drop' && c.command !== 'sort' && c.command !== 'limit') return undefined;
  }
  return undefined;
}

/** An event value as a keyword column holds it; an object is no value of the field (its keys are subfields). */
function text(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? keywordText(v) : undefined;
}

/** Does an event hold one of the anchor's values (as the candidates index below reads it)? */
export function anchorTest(a: Anchor): (event: Event) => boolean {
  const get = fieldGetter(a.field);
  const values = new Set(a.values);
  return (event) => get(event).some((v) => {
    const t = text(v);
    return t !== undefined && values.has(t);
  });
}

/** A rule's entry in the ES|QL prefilter family. */
export interface AnchorEntry {
  readonly anchor?: Anchor;
}

/** The candidates index over many rules' anchors (none: a candidate for every event). */
export function anchorCandidates(entries: readonly AnchorEntry[]): EventCandidates {
  const anchors = entries.map((e) => e.anchor);
  const always: number[] = [];
  const byField = new Map<string, { get: FieldGetter; byValue: Map<string, number[]> }>();
  anchors.forEach((a, i) => {
    if (!a) {
      always.push(i);
      return;
    }
    let f = byField.get(a.field);
    if (!f) byField.set(a.field, (f = { get: fieldGetter(a.field), byValue: new Map() }));
    for (const v of new Set(a.values)) {
      const list = f.byValue.get(v);
      if (list) list.push(i);
      else f.byValue.set(v, [i]);
    }
  });
  return {
    candidates(event: Event) {
      const out = new Set(always);
      for (const { get, byValue } of byField.values()) for (const v of get(event)) {
        const t = text(v);
        if (t !== undefined) for (const i of byValue.get(t) ?? []) out.add(i);
      }
      return [...out].sort((a, b) => a - b);
    },
  };
}
