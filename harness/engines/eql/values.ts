import { scalarText } from '../common/fields.ts';
import type { CmpOp } from './ast.ts';

/**
 * Value semantics shared by the fast filter leaves and the general
 * (three-valued) expression evaluator. A runtime value is `null` (missing),
 * a scalar, or an array of at least two non-null values (multi-valued field).
 */
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a numeric string denotes, else NaN. */
export function numericText(s: string): number {
  return NUMERIC.test(s.trim()) ? Number(s) : NaN;
}

/** Case-sensitive equality with keyword-style coercion (Decision, eql.md §6). */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === tb) return false;
  if (ta === 'number' && tb === 'string') return numericText(b as string) === a || scalarText(a) === b;
  if (ta === 'string' && tb === 'number') return numericText(a as string) === b || scalarText(b) === a;
  if (ta === 'boolean' && tb === 'string') return String(a) === b;
  if (ta === 'string' && tb === 'boolean') return String(b) === a;
  return false;
}

/** Ordering of two non-null scalars; undefined when they are not comparable. */
export function compareValues(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'string') {
    const n = numericText(b);
    return Number.isNaN(n) ? undefined : a - n;
  }
  if (typeof a === 'string' && typeof b === 'number') {
    const n = numericText(a);
    return Number.isNaN(n) ? undefined : n - b;
  }
  return undefined;
}

export function applyCmp(op: CmpOp, a: unknown, b: unknown): boolean {
  if (op === '==') return looseEquals(a, b);
  if (op === '!=') return !looseEquals(a, b);
  const c = compareValues(a, b);
  if (c === undefined || Number.isNaN(c)) return false;
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

export const flipOp = (op: CmpOp): CmpOp => (op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op);

/** Three-valued truth of a value: multi-valued → true if any element is true. */
export function truth(v: unknown): boolean | null {
  if (v === true || v === false) return v;
  if (Array.isArray(v)) {
    let sawFalse = false;
    for (const x of v) {
      if (x === true) return true;
      if (x === false) sawFalse = true;
    }
    return sawFalse ? false : null;
  }
  return null;
}

/** Apply `f` to every element combination of possibly multi-valued arguments. */
export function mapValues(args: readonly unknown[], f: (vals: readonly unknown[]) => unknown): unknown {
  if (!args.some(Array.isArray)) return f(args);
  let combos: unknown[][] = [[]];
  for (const a of args) {
    const vs = Array.isArray(a) ? a : [a];
    const next: unknown[][] = [];
    for (const c of combos) for (const v of vs) next.push([...c, v]);
    combos = next;
  }
  const out = combos.map((c) => f(c));
  const nonNull = out.filter((x) => x !== null && x !== undefined);
  if (nonNull.length === 0) return null;
  return nonNull.length === 1 ? nonNull[0] : nonNull;
}

/** Three-valued "any pair satisfies": true if any true, else false if any false, else null. */
export function anyPair(a: unknown, b: unknown, test: (x: unknown, y: unknown) => boolean | null): boolean | null {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  let result: boolean | null = null;
  for (const x of as) {
    for (const y of bs) {
      const r = test(x, y);
      if (r === true) return true;
      if (r === false) result = false;
    }
  }
  return result;
}

export function render(v: unknown): string {
  if (v === null || v === undefined) return 'missing';
  if (Array.isArray(v)) return `[${v.map(render).join(', ')}]`;
  return JSON.stringify(v) ?? String(v);
}
