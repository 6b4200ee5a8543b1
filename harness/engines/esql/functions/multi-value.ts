import type { Evaluator } from '../compile/scope.ts';
import { fromValues, valuesOf, type EsType, type Scalar, type Value } from '../types.ts';
import { compareScalars, scalarToString } from '../values.ts';
import { checkArgs, fail } from './define.ts';
import { guarded } from '../compile/failure.ts';
import type { CallSite, FunctionEntry } from './registry.ts';

/** MV_* functions read the whole value list of their first argument; other arguments are single-valued. */
function mv(
  names: string[],
  arity: readonly [number, number],
  type: (a: readonly Evaluator[]) => EsType,
  fn: (vs: readonly Scalar[], rest: readonly Value[], site: CallSite, type: EsType) => Value,
): FunctionEntry {
  return {
    kind: 'scalar',
    names,
    arity,
    compile: (site) => {
      const [first, ...others] = site.args as [Evaluator, ...Evaluator[]];
      const t = first.type;
      return {
        type: type(site.args),
        eval: guarded(site.scope, site.node, (row) => {
          const vs = valuesOf(first.eval(row));
          if (vs.length === 0) return null;
          const rest = others.map((o) => o.eval(row));
          return fn(vs, rest, site, t);
        }),
      };
    },
  };
}

const same = (a: readonly Evaluator[]): EsType => a[0]?.type ?? 'null';
const sorted = (vs: readonly Scalar[], t: EsType): Scalar[] => [...vs].sort((x, y) => compareScalars(x, y, t));

function sumOf(vs: readonly Scalar[], t: EsType): number {
  let s = 0;
  for (const v of vs) s += v as number;
  if (t === 'integer' && (s > 2147483647 || s < -2147483648)) return fail('java.lang.ArithmeticException: integer overflow');
  if (t === 'long' && Math.abs(s) >= 2 ** 63) return fail('java.lang.ArithmeticException: long overflow');
  return s;
}

function median(vs: readonly Scalar[], t: EsType): number {
  const s = sorted(vs, t) as number[];
  const mid = s.length >> 1;
  if (s.length % 2) return s[mid] as number;
  const a = s[mid - 1] as number;
  const b = s[mid] as number;
  return t === 'double' ? (a + b) / 2 : Math.floor((a + b) / 2);
}

export const MULTI_VALUE_FUNCTIONS: readonly FunctionEntry[] = [
  mv(['MV_COUNT'], [1, 1], () => 'integer', (vs) => vs.length),
  mv(['MV_FIRST'], [1, 1], same, (vs) => vs[0] as Scalar),
  mv(['MV_LAST'], [1, 1], same, (vs) => vs.at(-1) as Scalar),
  mv(['MV_MIN'], [1, 1], same, (vs, _r, _s, t) => sorted(vs, t)[0] as Scalar),
  mv(['MV_MAX'], [1, 1], same, (vs, _r, _s, t) => sorted(vs, t).at(-1) as Scalar),
  mv(['MV_SUM'], [1, 1], same, (vs, _r, _s, t) => sumOf(vs, t)),
  mv(['MV_AVG'], [1, 1], () => 'double', (vs, _r, _s, t) => sumOf(vs, t === 'double' ? t : 'double') / vs.length),
  mv(['MV_MEDIAN'], [1, 1], same, (vs, _r, _s, t) => median(vs, t)),
  mv(['MV_DEDUPE'], [1, 1], same, (vs) => fromValues([...new Set(vs)])),
  mv(['MV_CONCAT'], [2, 2], () => 'keyword', (vs, [d]) => (d === null ? null : vs.map(String).join(String(d)))),
  mv(['MV_SORT'], [1, 2], same, (vs, [order], _s, t) => {
    const o = order === undefined ? 'ASC' : String(order).toUpperCase();
    if (o !== 'ASC' && o !== 'DESC') return fail(`org.elasticsearch.xpack.esql.core.InvalidArgumentException: Invalid order value in [MV_SORT], expected one of [ASC, DESC] but got [${String(order)}]`);
    const s = sorted(vs, t);
    return fromValues(o === 'DESC' ? s.reverse() : s);
  }),
  mv(['MV_SLICE'], [2, 3], same, (vs, [s, e]) => {
    if (s === null || (e !== undefined && e === null)) return null;
    const n = vs.length;
    let from = s as number;
    let to = e === undefined ? from : (e as number);
    if (from < 0) from += n;
    if (to < 0) to += n;
    if ((s as number) >= 0 && e !== undefined && (e as number) >= 0 && (s as number) > (e as number))
      return fail('org.elasticsearch.xpack.esql.core.InvalidArgumentException: Start offset is greater than end offset');
    if (from < 0) from = 0;
    if (from >= n || to < 0) return null;
    return fromValues(vs.slice(from, Math.min(to, n - 1) + 1));
  }),
  mv(['MV_CONTAINS'], [2, 2], () => 'boolean', (vs, [sub], _s, t) => valuesOf(sub ?? null).every((x) => vs.some((v) => compareScalars(v, x, t) === 0))),
  mv(['MV_INTERSECTION'], [2, 2], same, (vs, [other], _s, t) => {
    const o = valuesOf(other ?? null);
    return fromValues([...new Set(vs)].filter((v) => o.some((x) => compareScalars(v, x, t) === 0)));
  }),
  {
    kind: 'scalar',
    names: ['MV_ZIP'],
    arity: [2, 3],
    compile: (site) => {
      checkArgs(site, ['string']);
      const [a, b, d] = site.args as [Evaluator, Evaluator, Evaluator | undefined];
      return {
        type: 'keyword',
        eval: (row) => {
          const x = valuesOf(a.eval(row));
          const y = valuesOf(b.eval(row));
          const sep = d ? d.eval(row) : ',';
          if (sep === null) return null;
          const n = Math.max(x.length, y.length);
          if (n === 0) return null;
          return fromValues(Array.from({ length: n }, (_, i) => [x[i], y[i]].filter((v) => v !== undefined).map((v) => scalarToString(v as Scalar, a.type)).join(String(sep))));
        },
      };
    },
  },
];

