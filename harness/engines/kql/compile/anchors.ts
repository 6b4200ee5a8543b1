import type { SlotRef } from '../../common/prepared-event.ts';
import type { TermValue } from '../query-ast.ts';
import { numericLiteral, parseNetworkLenient } from '../value-tests.ts';
import type { Anchor } from './node.ts';

/** Anchors: the (field, literal) conjuncts a query index can decide (query-set.ts). */

/** The lookup keys of literal values under `auto` semantics (autoTerm / mergedAutoTest); none when a value is a pattern or could match as an IP network. */
export function anchorKeys(ref: SlotRef, values: readonly TermValue[]): Anchor | undefined {
  const strings: string[] = [];
  const numbers: number[] = [];
  const booleans: boolean[] = [];
  for (const v of values) {
    if (v.kind !== 'literal' || (/[.:]/.test(v.text) && parseNetworkLenient(v.text))) return undefined;
    strings.push(v.text);
    const n = numericLiteral(v.text);
    if (n !== undefined) numbers.push(n);
    if (v.text === 'true' || v.text === 'false') booleans.push(v.text === 'true');
  }
  return { ref, strings, numbers, booleans };
}

/** The lookup keys of keyword terms: the literal text, and the numbers / booleans whose text it is. */
export function keywordAnchorKeys(ref: SlotRef, values: readonly TermValue[]): Anchor | undefined {
  const strings: string[] = [];
  const numbers: number[] = [];
  const booleans: boolean[] = [];
  for (const v of values) {
    if (v.kind !== 'literal') return undefined;
    strings.push(v.text);
    const n = numericLiteral(v.text);
    if (n !== undefined && String(n) === v.text) numbers.push(n);
    if (v.text === 'true' || v.text === 'false') booleans.push(v.text === 'true');
  }
  return { ref, strings, numbers, booleans };
}
