import type { Evaluator } from '../compile/scope.ts';
import { numericResult } from '../compile/operators.ts';
import { isNumeric, isString, valuesOf, type EsType, type Scalar } from '../types.ts';
import { compareScalars } from '../values.ts';
import { MULTI_VALUE } from '../warnings.ts';
import { scalar } from './define.ts';
import type { CallSite, FunctionEntry } from './registry.ts';

/** The common type of alternative results (CASE arms, COALESCE, GREATEST): numbers widen, text/keyword mix to keyword. */
export function commonType(site: CallSite, evaluators: readonly Evaluator[]): EsType {
  let t: EsType = 'null';
  for (const e of evaluators) {
    if (e.type === 'null') continue;
    if (t === 'null') t = e.type;
    else if (t === e.type) continue;
    else if (isNumeric(t) && isNumeric(e.type)) t = numericResult(t, e.type);
    else if (isString(t) && isString(e.type)) t = 'keyword';
    else throw site.scope.error(`arguments of [${site.scope.text(site.node)}] must all have the same type, found [${t}] and [${e.type}]`, site.node);
  }
  return t;
}

function compileCase(site: CallSite): Evaluator {
  const { args, scope, node } = site;
  const pairs: [Evaluator, Evaluator][] = [];
  let i = 0;
  for (; i + 1 < args.length; i += 2) {
    const cond = args[i] as Evaluator;
    if (cond.type !== 'boolean' && cond.type !== 'null')
      throw scope.error(`first argument of [${scope.text(node)}] must be [boolean], found value [${scope.text(node.args[i] ?? node)}] type [${cond.type}]`, node);
    pairs.push([cond, args[i + 1] as Evaluator]);
  }
  const otherwise = i < args.length ? (args[i] as Evaluator) : undefined;
  const common = commonType(site, [...pairs.map((p) => p[1]), ...(otherwise ? [otherwise] : [])]);
  const type = common === 'text' ? 'keyword' : common; // CASE returns keyword for text arms (fix_case_partial_fold_keyword_type)
  const w = scope.rt.warnings;
  return {
    type,
    eval: (row) => {
      for (const [c, v] of pairs) {
        const b = c.eval(row);
        if (Array.isArray(b)) {
          w.failure(node, MULTI_VALUE, 'false');
          continue;
        }
        if (b === true) return v.eval(row); // numbers are one JS type, so a widened integer needs no conversion
      }
      return otherwise ? otherwise.eval(row) : null;
    },
  };
}

function extreme(site: CallSite, sign: 1 | -1): Evaluator {
  const type = commonType(site, site.args);
  const evals = site.args.map((a) => a.eval);
  return {
    type,
    eval: (row) => {
      let best: Scalar | null = null;
      for (const e of evals) {
        const vs = valuesOf(e(row));
        if (vs.length === 0) return null;
        for (const v of vs) if (best === null || sign * compareScalars(v, best, type) > 0) best = v;
      }
      return best;
    },
  };
}

function clamp(type: EsType, v: Scalar, lo: Scalar | undefined, hi: Scalar | undefined): Scalar {
  let r = v;
  if (lo !== undefined && compareScalars(r, lo, type) < 0) r = lo;
  if (hi !== undefined && compareScalars(r, hi, type) > 0) r = hi;
  return r;
}

export const CONDITIONAL: readonly FunctionEntry[] = [
  { kind: 'scalar', names: ['CASE'], arity: [1, Infinity], compile: compileCase },
  {
    kind: 'scalar',
    names: ['COALESCE'],
    arity: [1, Infinity],
    compile: (site) => {
      const type = commonType(site, site.args);
      const evals = site.args.map((a) => a.eval);
      return {
        type,
        eval: (row) => {
          for (const e of evals) {
            const v = e(row);
            if (v !== null) return v;
          }
          return null;
        },
      };
    },
  },
  { kind: 'scalar', names: ['GREATEST'], arity: [1, Infinity], compile: (site) => extreme(site, 1) },
  { kind: 'scalar', names: ['LEAST'], arity: [1, Infinity], compile: (site) => extreme(site, -1) },
  scalar(['CLAMP'], ['any'], [3, 3], (a) => a[0]?.type ?? 'null', ([v, lo, hi], site) => clamp(site.args[0]?.type ?? 'keyword', v as Scalar, lo, hi)),
  scalar(['CLAMP_MIN'], ['any'], [2, 2], (a) => a[0]?.type ?? 'null', ([v, lo], site) => clamp(site.args[0]?.type ?? 'keyword', v as Scalar, lo, undefined)),
  scalar(['CLAMP_MAX'], ['any'], [2, 2], (a) => a[0]?.type ?? 'null', ([v, hi], site) => clamp(site.args[0]?.type ?? 'keyword', v as Scalar, undefined, hi)),
];
