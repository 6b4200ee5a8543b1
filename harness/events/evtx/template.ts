import type { BinValue } from './values.ts';

/**
 * Binary XML as parsed, before substitution: a template definition's body (or an
 * inline fragment) as elements whose attribute values and content are literals,
 * substitution slots, or already-resolved nested content.
 */
export type Part =
  | { readonly k: 'value'; readonly v: BinValue }
  | { readonly k: 'sub'; readonly index: number; readonly optional: boolean }
  | { readonly k: 'element'; readonly el: TElement }
  /** A template instance met inside a body: resolved where it was read. */
  | { readonly k: 'nodes'; readonly nodes: readonly XNode[] };

export interface TAttr {
  readonly name: string;
  readonly parts: readonly Part[];
}

export interface TElement {
  readonly name: string;
  readonly attrs: readonly TAttr[];
  readonly content: readonly Part[];
}

/** An element after substitution: the XML the record stands for. */
export interface XNode {
  readonly name: string;
  readonly attrs: ReadonlyArray<readonly [string, BinValue]>;
  readonly content: ReadonlyArray<XNode | BinValue>;
}

export function isNode(x: XNode | BinValue): x is XNode {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'name' in x;
}
