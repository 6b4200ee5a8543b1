import { EvalFailure, singleValued } from '../compile/failure.ts';
import type { Evaluator } from '../compile/scope.ts';
import { isNumeric, isString, type EsType, type Scalar, type Value } from '../types.ts';
import type { CallSite, FunctionEntry } from './registry.ts';

/** Argument type classes a scalar function accepts; checked at compile time with Elasticsearch's wording. */
export type ArgKind = 'any' | 'string' | 'numeric' | 'integral' | 'boolean' | 'date' | 'ip' | 'span' | 'point';

function accepts(kind: ArgKind, t: EsType): boolean {
  if (t === 'null') return true;
  switch (kind) {
    case 'any':
      return true;
    case 'string':
      return isString(t);
    case 'numeric':
      return isNumeric(t);
    case 'integral':
      return t === 'integer' || t === 'long';
    case 'boolean':
      return t === 'boolean';
    case 'date':
      return t === 'date' || t === 'date_nanos';
    case 'ip':
      return t === 'ip';
    case 'span':
      return t === 'time_duration' || t === 'date_period';
    case 'point':
      return t === 'geo_point' || t === 'cartesian_point';
  }
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

export function checkArgs(site: CallSite, kinds: readonly ArgKind[]): void {
  site.args.forEach((a, i) => {
    const kind = kinds[Math.min(i, kinds.length - 1)] ?? 'any';
    if (!accepts(kind, a.type)) {
      const argNode = site.node.args[i] ?? site.node;
      const want = kind === 'string' ? 'string' : kind === 'numeric' ? 'numeric' : kind;
      throw site.scope.error(
        `${ORDINALS[i] ?? `${i + 1}th`} argument of [${site.scope.text(site.node)}] must be [${want}], found value [${site.scope.text(argNode)}] type [${a.type}]`,
        site.node,
      );
    }
  });
}

/** A scalar function over single values: nulls in → null, multi-values in → null and a warning. */
export function scalar(
  names: readonly string[],
  kinds: readonly ArgKind[],
  arity: readonly [number, number],
  type: EsType | ((args: readonly Evaluator[]) => EsType),
  fn: (vs: readonly Scalar[], site: CallSite) => Value,
): FunctionEntry {
  return {
    kind: 'scalar',
    names,
    arity,
    compile: (site) => {
      checkArgs(site, kinds);
      return { type: typeof type === 'function' ? type(site.args) : type, eval: singleValued(site.scope, site.node, site.args, (vs) => fn(vs, site)) };
    },
  };
}

export function fail(message: string): never {
  throw new EvalFailure(message);
}
