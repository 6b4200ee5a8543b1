import type { Evaluator } from '../compile/scope.ts';
import { fromValues, valuesOf, type EsType, type Scalar, type Value } from '../types.ts';
import { compareScalars } from '../values.ts';
import type { Accumulator, AggregateSpec, CallSite, FunctionEntry } from './registry.ts';

/**
 * Aggregates of STATS. Each reads every value of a multi-valued input (COUNT
 * counts values, not rows); an aggregate over no values is null, COUNT 0.
 */
function arg(site: CallSite, i: number): Evaluator {
  const a = site.args[i];
  if (a === undefined) throw site.scope.error(`missing argument ${i + 1} of [${site.scope.text(site.node)}]`, site.node);
  return a;
}

function constant(site: CallSite, i: number): Value {
  const a = site.args[i];
  if (a === undefined) return null;
  if (!a.constant) throw site.scope.error(`argument ${i + 1} of [${site.scope.text(site.node)}] must be a constant`, site.node);
  return a.eval([]);
}

/** An aggregate that collects all values and reduces them at the end. */
function collecting(type: (t: EsType) => EsType, reduce: (vs: Scalar[], t: EsType) => Value, argIndex = 0, ofNull: Value = null): (site: CallSite) => AggregateSpec {
  return (site) => {
    const a = arg(site, argIndex);
    const t = a.type;
    return {
      type: type(t),
      create: (): Accumulator => {
        const vs: Scalar[] = [];
        return {
          add: (row) => {
            const v = a.eval(row);
            if (v === null) return;
            if (Array.isArray(v)) for (const x of v as Scalar[]) vs.push(x);
            else vs.push(v as Scalar);
          },
          result: () => (t === 'null' ? ofNull : reduce(vs, t)),
        };
      },
    };
  };
}

/** An aggregate folded value by value (MIN, MAX, SUM): no list is kept. */
function folding(type: (t: EsType) => EsType, step: (acc: Scalar, v: Scalar, t: EsType) => Scalar): (site: CallSite) => AggregateSpec {
  return (site) => {
    const a = arg(site, 0);
    const t = a.type;
    return {
      type: type(t),
      create: (): Accumulator => {
        let acc: Scalar | null = null;
        return {
          add: (row) => {
            const v = a.eval(row);
            if (v === null) return;
            if (Array.isArray(v)) for (const x of v as Scalar[]) acc = acc === null ? x : step(acc, x, t);
            else acc = acc === null ? (v as Scalar) : step(acc, v as Scalar, t);
          },
          result: () => (t === 'null' ? null : acc),
        };
      },
    };
  };
}

function average(site: CallSite): AggregateSpec {
  const a = arg(site, 0);
  return {
    type: 'double',
    create: () => {
      let total = 0;
      let n = 0;
      return {
        add: (row) => {
          for (const v of valuesOf(a.eval(row))) {
            total += v as number;
            n++;
          }
        },
        result: () => (n === 0 ? null : total / n),
      };
    },
  };
}

const sortedOf = (vs: Scalar[], t: EsType): Scalar[] => vs.sort((x, y) => compareScalars(x, y, t));

function median(vs: Scalar[], t: EsType): Value {
  if (vs.length === 0) return null;
  const s = sortedOf(vs, t) as number[];
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function agg(names: string[], arity: readonly [number, number], compileAggregate: (site: CallSite) => AggregateSpec): FunctionEntry {
  return { kind: 'aggregate', names, arity, compileAggregate };
}

function count(site: CallSite): AggregateSpec {
  if (site.node.star || site.args.length === 0)
    return {
      type: 'long',
      create: () => {
        let n = 0;
        return { add: () => void n++, result: () => n };
      },
    };
  const a = arg(site, 0);
  return {
    type: 'long',
    create: () => {
      let n = 0;
      return { add: (row) => void (n += valuesOf(a.eval(row)).length), result: () => n };
    },
  };
}

function top(site: CallSite): AggregateSpec {
  const a = arg(site, 0);
  const limit = constant(site, 1);
  const order = constant(site, 2);
  const desc = String(order ?? 'asc').toLowerCase() === 'desc';
  const t = a.type;
  const output = site.args[3];
  if (output !== undefined) return topBy(a, output, Number(limit), desc, limit === null || order === null);
  return {
    type: t,
    create: () => {
      const vs: Scalar[] = [];
      return {
        add: (row) => void vs.push(...valuesOf(a.eval(row))),
        result: () => {
          if (t === 'null' || limit === null || order === null) return null;
          const s = sortedOf(vs, t);
          if (desc) s.reverse();
          return fromValues(s.slice(0, Number(limit)));
        },
      };
    },
  };
}

/** TOP(field, n, order, output): the output values of the rows with the top n field values. */
function topBy(key: Evaluator, output: Evaluator, limit: number, desc: boolean, nothing: boolean): AggregateSpec {
  const type = key.type === 'null' ? 'null' : output.type;
  return {
    type,
    create: () => {
      const pairs: [Scalar, Scalar][] = [];
      return {
        add: (row) => {
          const k = key.eval(row);
          const o = output.eval(row);
          if (k === null || o === null || Array.isArray(k) || Array.isArray(o)) return;
          pairs.push([k as Scalar, o as Scalar]);
        },
        result: () => {
          if (type === 'null' || nothing) return null;
          pairs.sort((x, y) => (desc ? -1 : 1) * compareScalars(x[0], y[0], key.type));
          return fromValues(pairs.slice(0, limit).map((p) => p[1]));
        },
      };
    },
  };
}

/** FIRST/LAST(value, sort): the value(s) of the row with the least (greatest) sort value. */
function firstLast(sign: 1 | -1): (site: CallSite) => AggregateSpec {
  return (site) => {
    const v = arg(site, 0);
    const s = arg(site, 1);
    return {
      type: v.type,
      create: () => {
        let best: Scalar | null = null;
        let value: Value = null;
        let firstRow: Value | undefined;
        return {
          add: (row) => {
            if (firstRow === undefined) firstRow = v.eval(row);
            const keys = valuesOf(s.eval(row));
            if (keys.length === 0) return;
            const k = sortedOf([...keys], s.type)[sign === 1 ? 0 : keys.length - 1] as Scalar;
            if (best === null || sign * compareScalars(k, best, s.type) < 0) {
              best = k;
              value = v.eval(row);
            }
          },
          result: () => (v.type === 'null' ? null : best === null ? (firstRow ?? null) : value),
        };
      },
    };
  };
}

function weightedAvg(site: CallSite): AggregateSpec {
  const v = arg(site, 0);
  const w = arg(site, 1);
  return {
    type: 'double',
    create: () => {
      let num = 0;
      let den = 0;
      return {
        add: (row) => {
          const x = v.eval(row);
          const y = w.eval(row);
          if (x === null || y === null || Array.isArray(x) || Array.isArray(y)) return;
          num += (x as number) * (y as number);
          den += y as number;
        },
        result: () => (den === 0 ? null : num / den),
      };
    },
  };
}

export const AGGREGATES: readonly FunctionEntry[] = [
  agg(['COUNT'], [0, 1], count),
  agg(['COUNT_DISTINCT'], [1, 2], collecting(() => 'long', (vs) => new Set(vs).size, 0, 0)),
  agg(['MIN'], [1, 1], folding((t) => t, (acc, v, t) => (compareScalars(v, acc, t) < 0 ? v : acc))),
  agg(['MAX'], [1, 1], folding((t) => t, (acc, v, t) => (compareScalars(v, acc, t) > 0 ? v : acc))),
  agg(['SUM'], [1, 1], folding((t) => (t === 'null' ? 'null' : t === 'double' ? 'double' : 'long'), (acc, v) => (acc as number) + (v as number))),
  agg(['AVG'], [1, 1], average),
  agg(['MEDIAN'], [1, 1], collecting(() => 'double', median)),
  agg(['VALUES'], [1, 1], collecting((t) => t, (vs) => fromValues([...new Set(vs)]))),
  agg(['TOP'], [3, 4], top),
  agg(['FIRST'], [2, 2], firstLast(1)),
  agg(['LAST'], [2, 2], firstLast(-1)),
  agg(['WEIGHTED_AVG'], [2, 2], weightedAvg),
];
