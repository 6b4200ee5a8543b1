import type { AggField, Command, Expr } from '../ast.ts';
import { compileExpr } from '../compile/expr.ts';
import { Scope, type Evaluator } from '../compile/scope.ts';
import { lookupFunction, type Accumulator, type AggregateSpec, type CallNode } from '../functions/registry.ts';
import { valuesOf, type Column, type Value } from '../types.ts';
import { MULTI_VALUE } from '../warnings.ts';
import { blockingStage, scopeOf, type PlanContext, type Row, type Stage } from './stage.ts';

interface AggSlot {
  readonly spec: AggregateSpec;
  readonly filter?: Evaluator['eval'];
}

/** Replace each aggregate call in `e` by a reference to a synthetic column, collecting the calls. */
function extractAggregates(e: Expr, found: CallNode[]): Expr {
  if (e.type === 'call') {
    const entry = lookupFunction(e.name);
    if (entry?.kind === 'aggregate') {
      found.push(e);
      return { type: 'field', name: `$agg${found.length - 1}`, start: e.start, end: e.end };
    }
    return { ...e, args: e.args.map((a) => extractAggregates(a, found)) };
  }
  switch (e.type) {
    case 'neg':
    case 'not':
    case 'isNull':
      return { ...e, operand: extractAggregates(e.operand, found) };
    case 'cast':
      return { ...e, operand: extractAggregates(e.operand, found) };
    case 'binary':
    case 'and':
    case 'or':
      return { ...e, left: extractAggregates(e.left, found), right: extractAggregates(e.right, found) };
    case 'in':
      return { ...e, operand: extractAggregates(e.operand, found), list: e.list.map((x) => extractAggregates(x, found)) };
    default:
      return e;
  }
}

/** Every combination of one value per group key (a multi-valued key puts the row in each of its values' groups). */
function keyCombinations(values: readonly Value[]): Value[][] {
  let out: Value[][] = [[]];
  for (const v of values) {
    const vs: readonly Value[] = v === null ? [null] : valuesOf(v);
    out = out.flatMap((prefix) => vs.map((x) => [...prefix, x]));
  }
  return out;
}

interface Compiled {
  readonly aggColumns: Column[];
  readonly groupColumns: Column[];
  readonly groups: Evaluator[];
  readonly slots: AggSlot[];
  readonly finals: Evaluator[];
}

function compileParts(cmd: Command & { command: 'stats' }, input: readonly Column[], ctx: PlanContext): Compiled {
  const scope = scopeOf(input, ctx);
  const groups = cmd.groups.map((g) => compileExpr(g.expr, scope));
  const groupColumns = cmd.groups.map((g, i) => ({ name: g.name, type: (groups[i] as Evaluator).type }));
  const slots: AggSlot[] = [];
  const synthetic: Column[] = [];
  const finals: Evaluator[] = [];
  const aggColumns: Column[] = [];
  for (const a of cmd.aggregates as AggField[]) {
    const calls: CallNode[] = [];
    const rewritten = extractAggregates(a.expr, calls);
    const filter = a.filter ? compileExpr(a.filter, scope).eval : undefined;
    for (const call of calls) {
      const entry = lookupFunction(call.name);
      if (entry?.kind !== 'aggregate') throw scope.error(`Unknown function [${call.name}]`, call);
      const args = call.args.map((x) => compileExpr(x, scope));
      const spec = entry.compileAggregate({ node: call, args, scope });
      const prefix = synthetic.length;
      synthetic.push({ name: `$agg${prefix}`, type: spec.type });
      slots.push(filter ? { spec, filter } : { spec });
    }
    const base = synthetic.length - calls.length;
    const renamed = calls.length === 0 ? rewritten : renumber(rewritten, base);
    const finalScope = new Scope([...synthetic, ...groupColumns], ctx.source, ctx.rt);
    const ev = calls.length === 0 && groupColumns.some((g) => g.name === a.name) ? compileExpr(a.expr, new Scope(groupColumns, ctx.source, ctx.rt)) : compileExpr(renamed, finalScope);
    finals.push(ev);
    aggColumns.push({ name: a.name, type: ev.type });
  }
  return { aggColumns, groupColumns, groups, slots, finals };
}

/** Synthetic names are numbered per field from 0; shift them to the slots' global numbering. */
function renumber(e: Expr, base: number): Expr {
  if (e.type === 'field' && e.name.startsWith('$agg')) return { ...e, name: `$agg${base + Number(e.name.slice(4))}` };
  switch (e.type) {
    case 'call':
      return { ...e, args: e.args.map((a) => renumber(a, base)) };
    case 'neg':
    case 'not':
    case 'isNull':
    case 'cast':
      return { ...e, operand: renumber(e.operand, base) };
    case 'binary':
    case 'and':
    case 'or':
      return { ...e, left: renumber(e.left, base), right: renumber(e.right, base) };
    case 'in':
      return { ...e, operand: renumber(e.operand, base), list: e.list.map((x) => renumber(x, base)) };
    default:
      return e;
  }
}

interface Group {
  readonly key: Value[];
  readonly accs: Accumulator[];
}

/** A group's map key; a single scalar key (the common case) skips JSON. */
function keyString(key: readonly Value[]): string {
  if (key.length === 1) {
    const k = key[0];
    return typeof k === 'string' ? `s${k}` : typeof k === 'number' ? `n${k}` : JSON.stringify(key);
  }
  return JSON.stringify(key);
}

/** Groups rows as they come and folds each group's aggregates. */
class Aggregation {
  readonly groups = new Map<string, Group>();
  private readonly filters: (Evaluator['eval'] | undefined)[];
  constructor(
    private readonly c: Compiled,
    private readonly ctx: PlanContext,
    private readonly cmd: Command,
  ) {
    this.filters = c.slots.map((s) => s.filter);
  }
  add(row: Row): void {
    const c = this.c;
    const keyVals = c.groups.map((g) => g.eval(row));
    const single = keyVals.every((v) => !Array.isArray(v));
    for (const key of single ? [keyVals] : keyCombinations(keyVals)) {
      const k = keyString(key);
      let g = this.groups.get(k);
      if (g === undefined) {
        g = { key, accs: c.slots.map((s) => s.spec.create()) };
        this.groups.set(k, g);
      }
      for (let i = 0; i < g.accs.length; i++) {
        const f = this.filters[i];
        if (f !== undefined) {
          const ok = f(row);
          if (Array.isArray(ok)) {
            this.ctx.rt.warnings.failure(this.cmd, MULTI_VALUE);
            continue;
          }
          if (ok !== true) continue;
        }
        (g.accs[i] as Accumulator).add(row);
      }
    }
  }
  /** The groups; with no BY and no rows, one group over nothing (COUNT 0). */
  result(): Group[] {
    if (this.groups.size === 0 && this.c.groups.length === 0) return [{ key: [], accs: this.c.slots.map((s) => s.spec.create()) }];
    return [...this.groups.values()];
  }
}

function finalRow(c: Compiled, g: Group): Value[] {
  const synthetic: Value[] = [...g.accs.map((a) => a.result()), ...g.key];
  return c.finals.map((f) => f.eval(synthetic));
}

/** Elasticsearch's hash grouping gives the null key the first ordinal, so a null group comes out first. */
function nullFirst(groups: Group[]): Group[] {
  if (groups.length < 2 || groups[0]?.key.length !== 1) return groups;
  return [...groups.filter((g) => g.key[0] === null), ...groups.filter((g) => g.key[0] !== null)];
}

/** STATS … BY …: one row per group: the aggregates, then the group keys. */
export function compileStats(cmd: Command & { command: 'stats' }, input: readonly Column[], ctx: PlanContext): Stage {
  const c = compileParts(cmd, input, ctx);
  if (cmd.inline) return inlineStats(c, cmd, input, ctx);
  const groupNames = new Set(c.groupColumns.map((g) => g.name));
  const aggIdx = c.aggColumns.flatMap((a, i) => (groupNames.has(a.name) ? [] : [i]));
  return {
    columns: [...aggIdx.map((i) => c.aggColumns[i] as Column), ...c.groupColumns],
    open: (next) => {
      const agg = new Aggregation(c, ctx, cmd);
      return {
        push: (r) => (agg.add(r), true),
        end: () => {
          for (const g of nullFirst(agg.result())) {
            const vals = finalRow(c, g);
            if (!next.push([...aggIdx.map((i) => vals[i] ?? null), ...g.key])) break;
          }
          next.end();
        },
      };
    },
  };
}

/** INLINE STATS: every input row kept, with its group's aggregates appended (replacing columns of the same names). */
function inlineStats(c: Compiled, cmd: Command & { command: 'stats' }, input: readonly Column[], ctx: PlanContext): Stage {
  const added = [...c.aggColumns, ...c.groupColumns.filter((g) => !input.some((i) => i.name === g.name))];
  const addedNames = new Set(added.map((a) => a.name));
  const keep = input.flatMap((col, i) => (addedNames.has(col.name) ? [] : [i]));
  return blockingStage([...keep.map((i) => input[i] as Column), ...added], (rows) => {
    const agg = new Aggregation(c, ctx, cmd);
    for (const r of rows) agg.add(r);
    const results = new Map<string, Value[]>();
    for (const [k, g] of agg.groups) results.set(k, finalRow(c, g));
    return rows.map((row) => {
      const key = c.groups.map((g) => g.eval(row));
      const first = keyCombinations(key)[0] ?? [];
      const vals = results.get(keyString(first)) ?? c.aggColumns.map(() => null);
      const extraKeys = c.groupColumns.flatMap((g, i) => (input.some((col) => col.name === g.name) ? [] : [first[i] ?? null]));
      return [...keep.map((i) => row[i] ?? null), ...vals, ...extraKeys];
    });
  });
}
