import type { Expr } from '../engines/esql/ast.ts';

/**
 * A small evaluator of ES|QL expressions over one row of plain values, for the
 * generator's model of what the commands after a STATS make of a drafted group
 * (esql-stacked-stats.ts). It knows arithmetic, comparisons, three-valued
 * AND / OR / NOT, IS NULL, IN, LIKE and a few pass-through functions (CASE,
 * COALESCE, TO_LOWER, …); anything else is UNKNOWN, and a condition that comes
 * out UNKNOWN is left to the engine's check of the draft. Division is
 * floating point (the model has no integer type): a bound it gets wrong is
 * caught by that check too.
 */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Scalar = string | number | boolean;
export type Val = Scalar | readonly Scalar[] | null;
export type Maybe = Val | typeof UNKNOWN;
/** A column of the row by name; UNKNOWN when the model cannot say. */
export type RowEnv = (name: string) => Maybe;

const isList = (v: Val): v is readonly Scalar[] => Array.isArray(v);
/** A multi-valued operand of a scalar function or operator is null (with a warning, in ES|QL). */
const single = (v: Val): Scalar | null => (isList(v) ? (v.length === 1 ? v[0]! : null) : v);

function likeRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
}

/** DATE_DIFF units the model knows (singular, lower case), in ms. */
export const UNIT_MS: Readonly<Record<string, number>> = { millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function compare(op: string, a: Scalar, b: Scalar): boolean | null {
  if (typeof a !== typeof b) return null;
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return null;
  }
}

function arithmetic(op: string, a: number, b: number): number | null {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? null : a / b;
    case '%':
      return b === 0 ? null : a % b;
    default:
      return null;
  }
}

function call(name: string, args: readonly Expr[], env: RowEnv): Maybe {
  const at = (i: number): Maybe => (args[i] ? evalExpr(args[i], env) : null);
  switch (name) {
    case 'CASE': {
      for (let i = 0; i + 1 < args.length; i += 2) {
        const w = at(i);
        if (w === UNKNOWN) return UNKNOWN;
        if (w === true) return at(i + 1);
      }
      return args.length % 2 === 1 ? at(args.length - 1) : null;
    }
    case 'COALESCE':
      for (let i = 0; i < args.length; i++) {
        const v = at(i);
        if (v !== null) return v;
      }
      return null;
    case 'TO_LOWER':
    case 'TO_UPPER': {
      const v = at(0);
      if (v === UNKNOWN || v === null) return v;
      const s = single(v);
      return typeof s === 'string' ? (name === 'TO_LOWER' ? s.toLowerCase() : s.toUpperCase()) : s;
    }
    case 'TO_STRING':
    case 'TO_STR': {
      const v = at(0);
      return v === UNKNOWN || v === null ? v : String(single(v));
    }
    case 'TO_DOUBLE':
    case 'TO_LONG':
    case 'TO_INTEGER': {
      const v = at(0);
      if (v === UNKNOWN || v === null) return v;
      const n = Number(single(v));
      return Number.isFinite(n) ? (name === 'TO_DOUBLE' ? n : Math.trunc(n)) : UNKNOWN;
    }
    case 'DATE_DIFF': {
      // Dates are epoch milliseconds in the model's rows (eventEnv reads timestamps so).
      const [unit, a, b] = [at(0), at(1), at(2)];
      const ms = typeof unit === 'string' ? UNIT_MS[unit.toLowerCase().replace(/s$/, '')] : undefined;
      if (a === UNKNOWN || b === UNKNOWN || ms === undefined) return UNKNOWN;
      return typeof a === 'number' && typeof b === 'number' ? Math.trunc((b - a) / ms) : null;
    }
    case 'ABS': {
      const v = at(0);
      return typeof v === 'number' ? Math.abs(v) : v === null ? null : UNKNOWN;
    }
    case 'MV_COUNT': {
      const v = at(0);
      return v === UNKNOWN ? v : v === null ? null : isList(v) ? v.length : 1;
    }
    default:
      return UNKNOWN;
  }
}

/** Three-valued AND / OR over true / false / null (UNKNOWN absorbs what it can decide). */
function logical(type: 'and' | 'or', a: Maybe, b: Maybe): Maybe {
  const decisive = type === 'and' ? false : true;
  if (a === decisive || b === decisive) return decisive;
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  if (a === null || b === null) return null;
  return !decisive;
}

export function evalExpr(e: Expr, env: RowEnv): Maybe {
  switch (e.type) {
    case 'literal': {
      const l = e.literal;
      return l.kind === 'null' ? null : l.kind === 'span' ? UNKNOWN : l.value;
    }
    case 'field':
      return env(e.name);
    case 'param':
    case 'match':
    case 'rlike':
    case 'list':
      return UNKNOWN;
    case 'cast': {
      const v = evalExpr(e.operand, env);
      if (v === UNKNOWN || v === null) return v;
      const s = single(v);
      if (e.to === 'keyword' || e.to === 'string' || e.to === 'text') return String(s);
      if (e.to === 'double' || e.to === 'long' || e.to === 'integer') return Number.isFinite(Number(s)) ? Number(s) : null;
      return UNKNOWN;
    }
    case 'neg': {
      const v = evalExpr(e.operand, env);
      return typeof v === 'number' ? -v : v === null ? null : UNKNOWN;
    }
    case 'not': {
      const v = evalExpr(e.operand, env);
      return typeof v === 'boolean' ? !v : v === null ? null : UNKNOWN;
    }
    case 'isNull': {
      const v = evalExpr(e.operand, env);
      return v === UNKNOWN ? v : (v === null) !== e.negated;
    }
    case 'and':
    case 'or':
      return logical(e.type, evalExpr(e.left, env), evalExpr(e.right, env));
    case 'binary': {
      const l = evalExpr(e.left, env);
      const r = evalExpr(e.right, env);
      if (l === UNKNOWN || r === UNKNOWN) return UNKNOWN;
      const a = l === null ? null : single(l);
      const b = r === null ? null : single(r);
      if (a === null || b === null) return null;
      if (['+', '-', '*', '/', '%'].includes(e.op)) return typeof a === 'number' && typeof b === 'number' ? arithmetic(e.op, a, b) : UNKNOWN;
      return compare(e.op, a, b);
    }
    case 'in': {
      const v = evalExpr(e.operand, env);
      if (v === UNKNOWN || v === null) return v;
      const items = e.list.map((x) => evalExpr(x, env));
      if (items.includes(UNKNOWN)) return UNKNOWN;
      const hit = items.some((x) => x !== null && single(x as Val) === single(v));
      return hit !== e.negated;
    }
    case 'like': {
      const v = evalExpr(e.operand, env);
      if (v === UNKNOWN || v === null) return v;
      const s = single(v);
      if (typeof s !== 'string') return null;
      return e.patterns.some((p) => likeRegExp(p).test(s)) !== e.negated;
    }
    case 'call':
      return call(e.name.toUpperCase(), e.args, env);
  }
}
