import { convertScalar } from '../compile/convert.ts';
import type { Evaluator } from '../compile/scope.ts';
import { fromValues, type EsType, type Scalar, type Value } from '../types.ts';
import type { CallSite, FunctionEntry } from './registry.ts';

/**
 * TO_* conversions (and `::` casts): applied to every value of a multi-value;
 * a value that does not convert is dropped with a warning, as Elasticsearch does.
 */
function converter(to: EsType): (site: CallSite) => Evaluator {
  return (site) => {
    const a = site.args[0] as Evaluator;
    const from = a.type;
    const w = site.scope.rt.warnings;
    const node = site.node;
    const one = (v: Scalar): Scalar | undefined => {
      const c = convertScalar(v, from, to);
      if (c.ok) return c.value;
      w.failure(node, c.error);
      return undefined;
    };
    const ev = a.eval;
    return {
      type: from === 'null' ? 'null' : to,
      eval: (row): Value => {
        const v = ev(row);
        if (v === null) return null;
        if (!Array.isArray(v)) return one(v as Scalar) ?? null;
        const out: Scalar[] = [];
        for (const x of v as Scalar[]) {
          const c = one(x);
          if (c !== undefined) out.push(c);
        }
        return fromValues(out);
      },
    };
  };
}

const entry = (names: string[], to: EsType): FunctionEntry => ({ kind: 'scalar', names, arity: [1, 1], compile: converter(to) });

export const CONVERSION: readonly FunctionEntry[] = [
  entry(['TO_INTEGER', 'TO_INT'], 'integer'),
  entry(['TO_LONG'], 'long'),
  entry(['TO_DOUBLE', 'TO_DBL'], 'double'),
  entry(['TO_UNSIGNED_LONG', 'TO_UL', 'TO_ULONG'], 'unsigned_long'),
  entry(['TO_BOOLEAN', 'TO_BOOL'], 'boolean'),
  entry(['TO_DATETIME', 'TO_DT', 'TO_DATE'], 'date'),
  entry(['TO_DATE_NANOS', 'TO_DATENANOS'], 'date_nanos'),
  entry(['TO_IP'], 'ip'),
  entry(['TO_VERSION', 'TO_VER'], 'version'),
  entry(['TO_KEYWORD'], 'keyword'),
];
