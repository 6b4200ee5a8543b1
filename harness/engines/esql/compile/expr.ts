import { luceneToJs } from '../../common/lucene-regex.ts';
import { compilePattern } from '../../common/pattern-matcher.ts';
import { compileRegex } from '../../common/regex.ts';
import { parseEsWildcard } from '../../elastic/es-wildcard.ts';
import type { Expr } from '../ast.ts';
import { lookupFunction } from '../functions/registry.ts';
import { isNumeric, type EsType, type Scalar, type Value } from '../types.ts';
import { compareScalars } from '../values.ts';
import { MULTI_VALUE } from '../warnings.ts';
import { CAST_TYPES } from './convert.ts';
import { singleValued } from './failure.ts';
import { comparable, compileArithmetic, compileComparison, literalEvaluator } from './operators.ts';
import type { Evaluator, Scope } from './scope.ts';

/** Compile an expression once into a closure over rows of `scope`'s columns. */
export function compileExpr(e: Expr, scope: Scope): Evaluator {
  switch (e.type) {
    case 'literal':
      return literalEvaluator(e.literal);
    case 'list':
      return compileList(e, scope);
    case 'field': {
      const i = scope.indexOf(e.name);
      if (i < 0) throw scope.error(`Unknown column [${e.name}]`, e);
      const type = (scope.columns[i] as { type: EsType }).type;
      return { type, eval: (row) => row[i] ?? null }; // a row may end early: an ordered index's trailing columns are null
    }
    case 'param':
      throw scope.error(`query parameter [${e.name}] has no value (parameters are not supported offline)`, e);
    case 'call': {
      const entry = lookupFunction(e.name);
      if (entry === undefined) throw scope.error(`Unknown function [${e.name}]`, e);
      if (entry.kind === 'aggregate') throw scope.error(`aggregate function [${scope.text(e)}] is only allowed in STATS`, e);
      const args = e.args.map((a) => compileExpr(a, scope));
      const [min, max] = entry.arity;
      if (args.length < min || args.length > max)
        throw scope.error(`function [${e.name}] takes ${min === max ? min : `${min} to ${max === Infinity ? 'any number of' : max}`} arguments, got ${args.length} in [${scope.text(e)}]`, e);
      const out = entry.compile({ node: e, args, scope });
      return args.length > 0 && args.every((a) => a.constant) && entry.foldable !== false ? { ...out, constant: true } : out;
    }
    case 'neg': {
      const x = compileExpr(e.operand, scope);
      if (x.type === 'time_duration' || x.type === 'date_period')
        return { type: x.type, eval: singleValued(scope, e, [x], (v) => (String(v[0]).startsWith('-') ? String(v[0]).slice(1) : `-${String(v[0])}`)) };
      if (!isNumeric(x.type) && x.type !== 'null') throw scope.error(`argument of [${scope.text(e)}] must be numeric, found [${x.type}]`, e);
      return { type: x.type === 'null' ? 'integer' : x.type, eval: singleValued(scope, e, [x], (v) => -(v[0] as number)) };
    }
    case 'binary': {
      const l = compileExpr(e.left, scope);
      const r = compileExpr(e.right, scope);
      if (e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/' || e.op === '%') return compileArithmetic(e, l, r, scope);
      return compileComparison(e, l, r, scope);
    }
    case 'and':
    case 'or':
      return compileLogic(e, scope);
    case 'not': {
      const x = booleanOperand(e.operand, scope);
      return { type: 'boolean', eval: singleValued(scope, e, [x], (v) => !v[0]) };
    }
    case 'isNull': {
      const x = compileExpr(e.operand, scope).eval;
      return e.negated ? { type: 'boolean', eval: (row) => x(row) !== null } : { type: 'boolean', eval: (row) => x(row) === null };
    }
    case 'in':
      return compileIn(e, scope);
    case 'like':
    case 'rlike':
      return compilePatternMatch(e, scope);
    case 'match': {
      const entry = lookupFunction('MATCH');
      if (entry === undefined || entry.kind === 'aggregate') throw scope.error('MATCH is not available', e);
      return entry.compile({ node: { ...e, type: 'call', name: 'MATCH', args: [e.field, e.query], star: false }, args: [compileExpr(e.field, scope), compileExpr(e.query, scope)], scope });
    }
    case 'cast': {
      const to = CAST_TYPES[e.to];
      if (to === undefined) throw scope.error(`Unsupported conversion to type [${e.to.toUpperCase()}]`, e);
      const fn = lookupFunction(`TO_${to === 'date' ? 'DATETIME' : to.toUpperCase()}`);
      if (fn === undefined || fn.kind === 'aggregate') throw scope.error(`Unsupported conversion to type [${e.to.toUpperCase()}]`, e);
      const x = compileExpr(e.operand, scope);
      return fn.compile({ node: { ...e, type: 'call', name: `TO_${to.toUpperCase()}`, args: [e.operand], star: false }, args: [x], scope });
    }
  }
}

function compileList(e: Expr & { type: 'list' }, scope: Scope): Evaluator {
  const items = e.items.map((i) => compileExpr(i, scope));
  const type = items.find((i) => i.type !== 'null')?.type ?? 'null';
  const values = items.flatMap((i) => {
    const v = i.eval([]);
    return v === null ? [] : Array.isArray(v) ? (v as Scalar[]) : [v as Scalar];
  });
  const value: Value = values.length === 0 ? null : values.length === 1 ? (values[0] as Scalar) : values;
  return { type, eval: () => value, constant: true };
}

function booleanOperand(x: Expr, scope: Scope): Evaluator {
  const c = compileExpr(x, scope);
  if (c.type !== 'boolean' && c.type !== 'null') throw scope.error(`argument of [${scope.text(x)}] must be [boolean], found value [${scope.text(x)}] type [${c.type}]`, x);
  return c;
}

/** Three-valued AND/OR: false (AND) or true (OR) wins over null. */
function compileLogic(e: Expr & { type: 'and' | 'or' }, scope: Scope): Evaluator {
  const l = booleanOperand(e.left, scope);
  const r = booleanOperand(e.right, scope);
  const w = scope.rt.warnings;
  const one = (v: Value): Value => {
    if (Array.isArray(v)) {
      w.failure(e, MULTI_VALUE);
      return null;
    }
    return v;
  };
  const le = l.eval;
  const re = r.eval;
  if (e.type === 'and')
    return {
      type: 'boolean',
      eval: (row) => {
        // Both sides are evaluated, as Elasticsearch's block evaluation does, so both report their warnings.
        const a = one(le(row));
        const b = one(re(row));
        if (a === false || b === false) return false;
        return a === null || b === null ? null : true;
      },
    };
  return {
    type: 'boolean',
    eval: (row) => {
      const a = one(le(row));
      const b = one(re(row));
      if (a === true || b === true) return true;
      return a === null || b === null ? null : false;
    },
  };
}

function compileIn(e: Expr & { type: 'in' }, scope: Scope): Evaluator {
  const operand = compileExpr(e.operand, scope);
  const items = e.list.map((x) => {
    const c = compileExpr(x, scope);
    return comparable(e, operand, c, scope);
  });
  const type = items.find((i) => i[2] !== 'null')?.[2] ?? 'null';
  const x = items[0]?.[0] ?? operand;
  const list = items.map((i) => i[1]);
  const w = scope.rt.warnings;
  const negated = e.negated;
  return {
    type: 'boolean',
    eval: (row) => {
      const v = x.eval(row);
      if (v === null) return null;
      if (Array.isArray(v)) {
        w.failure(e, MULTI_VALUE);
        return null;
      }
      let sawNull = false;
      for (const item of list) {
        const c = item.eval(row);
        if (c === null) {
          sawNull = true;
          continue;
        }
        if (Array.isArray(c)) {
          w.failure(e, MULTI_VALUE);
          return null;
        }
        if (item.type !== 'null' && compareScalars(v as Scalar, c as Scalar, type) === 0) return !negated;
      }
      return sawNull ? null : negated;
    },
  };
}

function compilePatternMatch(e: Expr & { type: 'like' | 'rlike' }, scope: Scope): Evaluator {
  const x = compileExpr(e.operand, scope);
  const tests = e.patterns.map((p) => {
    if (e.type === 'like') return compilePattern(parseEsWildcard(p), 'sensitive');
    try {
      // Lucene reads a repetition operator with nothing before it as a literal character.
      const literalLead = p.replace(/(^|[^\\][(|])([*+?])/g, '$1\\$2');
      const re = compileRegex(`^(?:${luceneToJs(literalLead)})$`, { dotAll: true });
      return (s: string) => re.test(s);
    } catch (err) {
      throw scope.error(`invalid regular expression [${p}]: ${(err as Error).message}`, e);
    }
  });
  const negated = e.negated;
  return {
    type: 'boolean',
    eval: singleValued(scope, e, [x], (v) => {
      const s = String(v[0]);
      return tests.some((t) => t(s)) !== negated;
    }),
  };
}
