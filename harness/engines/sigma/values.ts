/**
 * The typed values a detection item carries while its modifiers are applied
 * left to right (pySigma `sigma/types.py`). A closed union: every later stage
 * switches over `kind` and ends in assertNever.
 */
import type { Network } from '../common/cidr.ts';
import type { SigmaString } from './sigma-string.ts';

export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export type SigmaValue =
  /** `cased`: matched case-sensitively (the `cased` modifier). */
  | { readonly kind: 'string'; readonly s: SigmaString; readonly cased: boolean }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 're'; readonly source: string; readonly flags: string }
  | { readonly kind: 'cidr'; readonly network: Network; readonly text: string }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly value: number }
  | { readonly kind: 'fieldref'; readonly other: string; readonly leading: boolean; readonly trailing: boolean; readonly cased: boolean }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'timepart'; readonly part: TimePart; readonly value: number }
  /** OR-linked alternatives produced from one original value (windash, base64offset, expand); stays OR under `all`. */
  | { readonly kind: 'expansion'; readonly values: readonly SigmaValue[] };

export type ValueKind = SigmaValue['kind'];

export const sigmaString = (s: SigmaString, cased = false): SigmaValue => ({ kind: 'string', s, cased });
