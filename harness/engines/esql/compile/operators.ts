import type { BinaryOp, Expr, Literal } from '../ast.ts';
import { isNumeric, isString, type EsType, type Scalar, type Value } from '../types.ts';
import { compareScalars } from '../values.ts';
import { convertScalar } from './convert.ts';
import { EvalFailure, singleValued } from './failure.ts';
import type { Evaluator, Scope } from './scope.ts';
import { addSpan, type Span as TimeSpan } from './time-span.ts';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MAX = 2 ** 63; // as a double, Long.MAX_VALUE rounds to 2^63

export function numericResult(a: EsType, b: EsType): EsType {
  if (a === 'double' || b === 'double') return 'double';
  if (a === 'long' || b === 'long' || a === 'unsigned_long' || b === 'unsigned_long') return 'long';
  return 'integer';
}

function checked(r: number, type: EsType): number {
  if (type === 'integer') {
    if (r < INT_MIN || r > INT_MAX) throw new EvalFailure('java.lang.ArithmeticException: integer overflow');
  } else if (type === 'long') {
    if (r < -LONG_MAX - 1 || r > LONG_MAX) throw new EvalFailure('java.lang.ArithmeticException: long overflow');
  } else if (!Number.isFinite(r)) throw new EvalFailure(`java.lang.ArithmeticException: not a finite double number: ${r > 0 ? 'Infinity' : '-Infinity'}`);
  return r;
}

function arithmetic(op: BinaryOp, type: EsType): (a: number, b: number) => number {
  const integral = type !== 'double';
  switch (op) {
    case '+':
      return (a, b) => checked(a + b, type);
    case '-':
      return (a, b) => checked(a - b, type);
    case '*':
      return (a, b) => checked(a * b, type);
    case '/':
      return (a, b) => {
        if (b === 0) throw new EvalFailure('java.lang.ArithmeticException: / by zero');
        return checked(integral ? Math.trunc(a / b) : a / b, type);
      };
    case '%':
      return (a, b) => {
        if (b === 0) throw new EvalFailure('java.lang.ArithmeticException: / by zero');
        return a % b;
      };
    default:
      throw new Error(`not arithmetic: ${op}`);
  }
}

const isTemporal = (t: EsType): boolean => t === 'date' || t === 'date_nanos';
const isSpan = (t: EsType): boolean => t === 'time_duration' || t === 'date_period';

function typeMismatch(node: Expr, scope: Scope, l: EsType, r: EsType): Error {
  const text = scope.text(node);
  return scope.error(`first argument of [${text}] is [${l}] so second argument must also be [${l}] but was [${r}]`, node);
}

export function compileArithmetic(node: Expr & { type: 'binary' }, l: Evaluator, r: Evaluator, scope: Scope): Evaluator {
  const op = node.op;
  if (l.type === 'null' || r.type === 'null') {
    const type = l.type === 'null' ? r.type : l.type;
    return { type, eval: () => null, constant: true };
  }
  if (isNumeric(l.type) && isNumeric(r.type)) {
    const type = numericResult(l.type, r.type);
    const f = arithmetic(op, type);
    return { type, eval: singleValued(scope, node, [l, r], (v) => f(v[0] as number, v[1] as number)), ...constancy(l, r) };
  }
  if ((op === '+' || op === '-') && isTemporal(l.type) && isSpan(r.type)) {
    const sign = op === '-' ? -1 : 1;
    return { type: l.type, eval: singleValued(scope, node, [l, r], (v) => addSpan(v[0] as number, v[1] as unknown as TimeSpan, sign)) };
  }
  if (op === '+' && isSpan(l.type) && isTemporal(r.type)) {
    return { type: r.type, eval: singleValued(scope, node, [l, r], (v) => addSpan(v[1] as number, v[0] as unknown as TimeSpan, 1)) };
  }
  throw scope.error(`[${op}] has arguments with incompatible types [${l.type}] and [${r.type}] in [${scope.text(node)}]`, node);
}

const constancy = (l: Evaluator, r: Evaluator): { constant?: boolean } => (l.constant && r.constant ? { constant: true } : {});

/** The common comparison type of two operands; string constants convert to the other side's type (dates, IPs, versions, booleans). */
export function comparable(node: Expr, l: Evaluator, r: Evaluator, scope: Scope): [Evaluator, Evaluator, EsType] {
  if (l.type === 'null' || r.type === 'null') return [l, r, 'null'];
  if (isNumeric(l.type) && isNumeric(r.type)) return [l, r, numericResult(l.type, r.type)];
  if (isString(l.type) && isString(r.type)) return [l, r, 'keyword'];
  if (l.type === r.type) return [l, r, l.type];
  if (isString(r.type) && r.constant) return [l, castConstant(r, l.type, node, scope), l.type];
  if (isString(l.type) && l.constant) return [castConstant(l, r.type, node, scope), r, r.type];
  if (isTemporal(l.type) && isTemporal(r.type)) return [l, r, 'date'];
  throw typeMismatch(node, scope, l.type, r.type);
}

function castConstant(e: Evaluator, to: EsType, node: Expr, scope: Scope): Evaluator {
  const v = e.eval([]);
  if (v === null) return { type: to, eval: () => null, constant: true };
  const vs = Array.isArray(v) ? (v as Scalar[]) : [v as Scalar];
  const out: Scalar[] = [];
  for (const s of vs) {
    const c = convertScalar(s, e.type, to);
    if (!c.ok) throw scope.error(`Cannot convert string [${String(s)}] to [${to.toUpperCase()}], error [${c.error}]`, node);
    out.push(c.value);
  }
  const value: Value = out.length === 1 ? (out[0] as Scalar) : out;
  return { type: to, eval: () => value, constant: true };
}

export function compileComparison(node: Expr & { type: 'binary' }, l0: Evaluator, r0: Evaluator, scope: Scope): Evaluator {
  const [l, r, type] = comparable(node, l0, r0, scope);
  if (type === 'null') return { type: 'boolean', eval: () => null, constant: true };
  const test = comparisonTest(node.op);
  return { type: 'boolean', eval: singleValued(scope, node, [l, r], (v) => test(compareScalars(v[0] as Scalar, v[1] as Scalar, type))) };
}

export function comparisonTest(op: BinaryOp): (c: number) => boolean {
  switch (op) {
    case '==':
      return (c) => c === 0;
    case '!=':
      return (c) => c !== 0;
    case '<':
      return (c) => c < 0;
    case '<=':
      return (c) => c <= 0;
    case '>':
      return (c) => c > 0;
    case '>=':
      return (c) => c >= 0;
    default:
      throw new Error(`not a comparison: ${op}`);
  }
}

export function literalEvaluator(lit: Literal): Evaluator {
  switch (lit.kind) {
    case 'null':
      return { type: 'null', eval: () => null, constant: true };
    case 'boolean':
      return { type: 'boolean', eval: () => lit.value, constant: true };
    case 'integer': {
      const type: EsType = lit.value >= INT_MIN && lit.value <= INT_MAX ? 'integer' : 'long';
      return { type, eval: () => lit.value, constant: true };
    }
    case 'double':
      return { type: 'double', eval: () => lit.value, constant: true };
    case 'string':
      return { type: 'keyword', eval: () => lit.value, constant: true };
    case 'span': {
      const calendar = ['day', 'week', 'month', 'quarter', 'year'].includes(lit.unit);
      const span = `${lit.amount} ${lit.unit}`;
      return { type: calendar ? 'date_period' : 'time_duration', eval: () => span, constant: true };
    }
  }
}
