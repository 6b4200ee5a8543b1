import type { ShapeHint } from './shapes.ts';
import { valueText, type BinValue } from './values.ts';

/**
 * Binary XML as parsed: a template definition's body (or an inline fragment) as
 * elements whose attribute values and content are literals, substitution slots,
 * or template instances met inside the body. The record's JSON is built straight
 * from these and an instance's values (to-json.ts): no XML tree is materialised.
 */
export type Part =
  | { readonly k: 'value'; readonly v: BinValue }
  | { readonly k: 'sub'; readonly index: number; readonly optional: boolean }
  | { readonly k: 'element'; readonly el: TElement }
  | { readonly k: 'instance'; readonly inst: Instance };

export interface TAttr {
  readonly name: string;
  readonly parts: readonly Part[];
}

export interface TElement {
  readonly name: string;
  readonly attrs: readonly TAttr[];
  readonly content: readonly Part[];
  /** What its JSON takes, worked out once per template rather than per record (to-json.ts). */
  readonly plan: ElementPlan;
  /**
   * The key sequences its JSON objects had last (its attributes, itself, itself as a `<Data>` value),
   * and the fixed ones of its `plan.children` as such, and under EventData / UserData by Data name.
   */
  readonly hints: { readonly attrs: ShapeHint; readonly element: ShapeHint; readonly data: ShapeHint; readonly children: ShapeHint; readonly namedData: ShapeHint };
}

export interface ElementPlan {
  /** The substitution index when the content is exactly one substitution (`<Level>%4</Level>`), else -1. */
  readonly onlySub: number;
  /** When the content is child elements only: those children, else undefined. */
  readonly children: readonly TElement[] | undefined;
  /**
   * For such children under EventData / UserData, when no `<Data>` child's Name depends on a
   * value: each child's Data name (undefined for other children and for unnamed Data), and
   * whether any Data child is named.
   */
  readonly dataNames: { readonly names: ReadonlyArray<string | undefined>; readonly named: boolean } | undefined;
}

/** An element of a template body (its shape hints start empty). */
export function templateElement(name: string, attrs: readonly TAttr[], content: readonly Part[]): TElement {
  const hints = {
    attrs: { last: undefined, fixed: false },
    element: { last: undefined, fixed: false },
    data: { last: undefined, fixed: false },
    children: { last: undefined, fixed: true },
    namedData: { last: undefined, fixed: true },
  };
  return { name, attrs, content, plan: planOf(content), hints };
}

function planOf(content: readonly Part[]): ElementPlan {
  const only = content.length === 1 ? content[0]! : undefined;
  const onlySub = only?.k === 'sub' ? only.index : -1;
  const children = content.length > 0 && content.every((p) => p.k === 'element') ? content.map((p) => (p as { readonly el: TElement }).el) : undefined;
  return { onlySub, children, dataNames: children && staticDataNames(children) };
}

function staticDataNames(children: readonly TElement[]): ElementPlan['dataNames'] {
  const names: Array<string | undefined> = [];
  for (const c of children) {
    if (c.name !== 'Data') {
      names.push(undefined);
      continue;
    }
    const attr = c.attrs.find((a) => a.name === 'Name');
    const part = attr?.parts.length === 1 ? attr.parts[0] : undefined;
    if (attr !== undefined && part?.k !== 'value') return undefined; // given by a value (or several parts): read per record
    // A literal Name as JSON keys it: its text, an empty one none (see dataName in to-json.ts).
    const text = part?.k === 'value' ? valueText(part.v) : '';
    names.push(text === '' ? undefined : text);
  }
  return { names, named: names.some((n) => n !== undefined) };
}

/**
 * A template body with the values of one instance of it (a record's fragment is an
 * instance with no values). `depth` counts the template instances it is nested in: a
 * Binary XML value among `values` is parsed one deeper.
 */
export interface Instance {
  readonly body: readonly Part[];
  readonly values: readonly BinValue[];
  readonly depth: number;
}
