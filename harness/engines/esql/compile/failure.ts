import type { Span } from '../ast.ts';
import type { Scalar, Value } from '../types.ts';
import { MULTI_VALUE } from '../warnings.ts';
import type { Evaluator, Scope } from './scope.ts';

/** Thrown inside a function body: the row's result becomes null with this exception text as a warning. */
export class EvalFailure extends Error {}

/**
 * A closure over single values: null in → null out, a multi-value in → null
 * with Elasticsearch's "single-value function encountered multi-value"
 * warning, an EvalFailure → null with its text as a warning.
 */
export function singleValued(
  scope: Scope,
  span: Span,
  args: readonly Evaluator[],
  fn: (vs: readonly Scalar[]) => Value,
): (row: readonly Value[]) => Value {
  const w = scope.rt.warnings;
  const n = args.length;
  const evals = args.map((a) => a.eval);
  return (row) => {
    const vs: Scalar[] = new Array<Scalar>(n);
    for (let i = 0; i < n; i++) {
      const v = (evals[i] as (r: readonly Value[]) => Value)(row);
      if (v === null) return null;
      if (Array.isArray(v)) {
        w.failure(span, MULTI_VALUE);
        return null;
      }
      vs[i] = v as Scalar;
    }
    try {
      return fn(vs);
    } catch (e) {
      if (e instanceof EvalFailure) {
        w.failure(span, e.message);
        return null;
      }
      throw e;
    }
  };
}

/** Run `fn`, turning an EvalFailure into a warning and null. */
export function guarded(scope: Scope, span: Span, fn: (row: readonly Value[]) => Value): (row: readonly Value[]) => Value {
  const w = scope.rt.warnings;
  return (row) => {
    try {
      return fn(row);
    } catch (e) {
      if (e instanceof EvalFailure) {
        w.failure(span, e.message);
        return null;
      }
      throw e;
    }
  };
}
