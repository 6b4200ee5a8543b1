import { fail, scalar } from './define.ts';
import type { FunctionEntry } from './registry.ts';

/** Java's Math.round semantics for ROUND with decimals: half away from zero. */
function round(v: number, decimals: number): number {
  if (decimals >= 0) {
    const f = 10 ** decimals;
    const r = Math.sign(v) * Math.round(Math.abs(v) * f) / f;
    return Object.is(r, -0) ? 0 : r;
  }
  const f = 10 ** -decimals;
  return Math.sign(v) * Math.round(Math.abs(v) / f) * f;
}

const same = (a: readonly { type: import('../types.ts').EsType }[]): import('../types.ts').EsType => a[0]?.type === 'null' ? 'integer' : a[0]?.type ?? 'double';

export const MATH: readonly FunctionEntry[] = [
  scalar(['ROUND'], ['numeric', 'integral'], [1, 2], same, ([v, d]) => round(v as number, (d as number | undefined) ?? 0)),
  scalar(['ABS'], ['numeric'], [1, 1], same, ([v]) => Math.abs(v as number)),
  scalar(['FLOOR'], ['numeric'], [1, 1], same, ([v]) => Math.floor(v as number)),
  scalar(['CEIL'], ['numeric'], [1, 1], same, ([v]) => Math.ceil(v as number)),
  scalar(['SIGNUM'], ['numeric'], [1, 1], 'double', ([v]) => Math.sign(v as number)),
  scalar(['SQRT'], ['numeric'], [1, 1], 'double', ([v]) => {
    if ((v as number) < 0) return fail('java.lang.ArithmeticException: Square root of negative');
    return Math.sqrt(v as number);
  }),
  scalar(['LOG10'], ['numeric'], [1, 1], 'double', ([v]) => {
    if ((v as number) <= 0) return fail(`java.lang.ArithmeticException: Log of non-positive number`);
    return Math.log10(v as number);
  }),
  scalar(['POW'], ['numeric', 'numeric'], [2, 2], 'double', ([b, e]) => {
    const r = (b as number) ** (e as number);
    if (!Number.isFinite(r)) return fail('java.lang.ArithmeticException: not a finite double number: ' + String(r));
    return r;
  }),
  scalar(['PI'], [], [0, 0], 'double', () => Math.PI),
  scalar(['E'], [], [0, 0], 'double', () => Math.E),
];
