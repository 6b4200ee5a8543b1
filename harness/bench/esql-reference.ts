import type { Event } from '../core/event.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import type { Expr } from '../engines/esql/ast.ts';

/**
 * A naive reference for the `esql-eval` bench: it interprets a WHERE
 * condition's AST directly over each nested JSON event (no compilation, no
 * typed columns), with ES|QL's rules for the operators the corpus filters use:
 * three-valued AND/OR/NOT, null or multi-valued operands make a comparison
 * null, LIKE with `*`/`?`, IN, IS NULL, TO_LOWER/TO_UPPER. Anything else
 * throws, and the workload leaves that query out of the check.
 */
type V = string | number | boolean | null | undefined;

function like(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) re += (pattern[++i] as string).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else re += c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export class NaiveWhere {
  private readonly getters = new Map<string, (e: unknown) => readonly unknown[]>();
  private readonly likes = new Map<string, RegExp>();
  constructor(private readonly cond: Expr) {}

  matches(event: Event): boolean {
    return this.eval(this.cond, event) === true;
  }

  private value(e: Expr, ev: Event): V {
    switch (e.type) {
      case 'literal':
        return e.literal.kind === 'null' ? null : e.literal.kind === 'span' ? fail(e) : e.literal.value;
      case 'field': {
        let g = this.getters.get(e.name);
        if (!g) this.getters.set(e.name, (g = fieldGetter(e.name)));
        const vs = g(ev).filter((x) => x !== null && x !== undefined);
        if (vs.length === 0) return null;
        return vs.length > 1 ? undefined : (vs[0] as V); // undefined marks a multi-value
      }
      case 'call': {
        if ((e.name !== 'TO_LOWER' && e.name !== 'TO_UPPER') || e.args.length !== 1) return fail(e);
        const v = this.value(e.args[0] as Expr, ev);
        if (v === null || v === undefined) return v;
        return e.name === 'TO_LOWER' ? String(v).toLowerCase() : String(v).toUpperCase();
      }
      default:
        return this.eval(e, ev);
    }
  }

  private eval(e: Expr, ev: Event): V {
    switch (e.type) {
      case 'and': {
        const a = this.eval(e.left, ev);
        const b = this.eval(e.right, ev);
        return a === false || b === false ? false : a == null || b == null ? null : true;
      }
      case 'or': {
        const a = this.eval(e.left, ev);
        const b = this.eval(e.right, ev);
        return a === true || b === true ? true : a == null || b == null ? null : false;
      }
      case 'not': {
        const a = this.eval(e.operand, ev);
        return a == null ? null : !a;
      }
      case 'isNull':
        return (this.value(e.operand, ev) === null) !== e.negated;
      case 'binary': {
        const a = this.value(e.left, ev);
        const b = this.value(e.right, ev);
        if (a == null || b == null) return null;
        const x = typeof b === 'number' ? Number(a) : a;
        const y = typeof a === 'number' ? Number(b) : b;
        switch (e.op) {
          case '==':
            return x === y;
          case '!=':
            return x !== y;
          case '<':
            return x < y;
          case '<=':
            return x <= y;
          case '>':
            return x > y;
          case '>=':
            return x >= y;
          default:
            return fail(e);
        }
      }
      case 'in': {
        const a = this.value(e.operand, ev);
        if (a == null) return null;
        let sawNull = false;
        for (const item of e.list) {
          const b = this.value(item, ev);
          if (b == null) sawNull = true;
          else if ((typeof b === 'number' ? Number(a) : a) === b) return !e.negated;
        }
        return sawNull ? null : e.negated;
      }
      case 'like': {
        const a = this.value(e.operand, ev);
        if (a == null) return null;
        const hit = e.patterns.some((p) => {
          let re = this.likes.get(p);
          if (!re) this.likes.set(p, (re = like(p)));
          return re.test(String(a));
        });
        return hit !== e.negated;
      }
      case 'literal':
      case 'field':
      case 'call':
        return this.value(e, ev);
      default:
        return fail(e);
    }
  }
}

function fail(e: Expr): never {
  throw new Error(`the naive reference does not evaluate ${e.type}`);
}
