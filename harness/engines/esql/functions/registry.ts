import type { Expr } from '../ast.ts';
import type { Evaluator, Scope } from '../compile/scope.ts';
import type { EsType, Value } from '../types.ts';
import { AGGREGATES } from './aggregates.ts';
import { CONDITIONAL } from './conditional.ts';
import { CONVERSION } from './conversion.ts';
import { DATES } from './dates.ts';
import { IP_AND_SPATIAL } from './ip-spatial.ts';
import { MATH } from './math.ts';
import { MULTI_VALUE_FUNCTIONS } from './multi-value.ts';
import { SEARCH } from './search.ts';
import { STRINGS } from './strings.ts';

export type CallNode = Expr & { type: 'call' };

export interface CallSite {
  readonly node: CallNode;
  readonly args: readonly Evaluator[];
  readonly scope: Scope;
}

/** Per-group state of one aggregate. */
export interface Accumulator {
  add(row: readonly Value[]): void;
  result(): Value;
}

export interface AggregateSpec {
  readonly type: EsType;
  create(): Accumulator;
}

export type FunctionEntry =
  | {
      readonly kind: 'scalar';
      readonly names: readonly string[];
      readonly arity: readonly [number, number];
      /** False for functions whose value depends on more than their arguments (NOW, KQL). */
      readonly foldable?: boolean;
      compile(site: CallSite): Evaluator;
    }
  | {
      readonly kind: 'aggregate';
      readonly names: readonly string[];
      readonly arity: readonly [number, number];
      compileAggregate(site: CallSite): AggregateSpec;
    };

const TABLE = new Map<string, FunctionEntry>();
for (const family of [AGGREGATES, CONDITIONAL, CONVERSION, DATES, IP_AND_SPATIAL, MATH, MULTI_VALUE_FUNCTIONS, SEARCH, STRINGS])
  for (const entry of family) for (const n of entry.names) TABLE.set(n, entry);

/** The function of that (case-insensitive) name, or undefined. */
export function lookupFunction(name: string): FunctionEntry | undefined {
  return TABLE.get(name.toUpperCase());
}

export function functionNames(): string[] {
  return [...TABLE.keys()].sort();
}
