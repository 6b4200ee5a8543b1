import { elasticQueries, benchData } from './corpus.ts';
import { NaiveWhere } from './esql-reference.ts';
import type { RunResult } from './workloads.ts';
import type { Expr } from '../engines/esql/ast.ts';

/** A condition's shape: its operators and functions, with fields and literals abstracted. */
function shapeOf(e: Expr): string {
  switch (e.type) {
    case 'field':
      return 'f';
    case 'literal':
    case 'list':
    case 'param':
      return 'v';
    case 'call':
      return `${e.name}(${e.args.map(shapeOf).join(',')})`;
    case 'binary':
      return `(${shapeOf(e.left)}${e.op}${shapeOf(e.right)})`;
    case 'and':
    case 'or':
      return `${e.type}(${shapeOf(e.left)},${shapeOf(e.right)})`;
    case 'in':
      return `${e.negated ? 'not ' : ''}in(${shapeOf(e.operand)})`;
    case 'like':
    case 'rlike':
      return `${e.negated ? 'not ' : ''}${e.type}(${shapeOf(e.operand)})`;
    case 'neg':
    case 'not':
    case 'cast':
      return `${e.type}(${shapeOf(e.operand)})`;
    case 'isNull':
      return `${e.negated ? 'notnull' : 'null'}(${shapeOf(e.operand)})`;
    case 'match':
      return 'match';
  }
}

/**
 * `esql-eval`: the detection filters of the corpus's ES|QL rules — each rule's
 * `FROM … | WHERE <first condition>` — grouped by the condition's shape; the
 * 50 most common shapes (one rule each) run over the 100,000 KQL bench events
 * as an index typed as in the corpus gate (ECS, else what the query implies). Units are rows filtered (queries × events); each
 * query's row count is checked against the naive reference (esql-reference.ts).
 */
export async function esqlEvalWorkload(): Promise<() => RunResult> {
  const { compileEsql, indexResolver } = await import('../engines/esql/index.ts');
  const { indexFromEvents } = await import('../engines/esql/events-index.ts');
  const { gateFieldTypes } = await import('../engines/esql/corpus-gate.ts');
  const byShape = new Map<string, { query: string; cond: Expr; count: number }>();
  for (const r of elasticQueries('esql')) {
    const ast = compileEsql(r.query).ast;
    const from = ast.commands[0];
    const where = ast.commands.find((c) => c.command === 'where');
    if (from?.command !== 'from' || where?.command !== 'where') continue;
    const text = `${r.query.slice(from.start, from.end)} | WHERE ${r.query.slice(where.condition.start, where.condition.end)}`;
    const shape = shapeOf(where.condition);
    const s = byShape.get(shape);
    if (s) s.count++;
    else byShape.set(shape, { query: text, cond: where.condition, count: 1 });
  }
  const chosen = [...byShape.values()].sort((a, b) => b.count - a.count).slice(0, 50);
  const compiled = chosen.map((c) => compileEsql(c.query));
  // Fields outside ECS are typed as in the corpus gate (the query's own comparisons imply them).
  const { types, wanted } = gateFieldTypes(compiled.map((q) => q.ast));
  const d = benchData('kql');
  const base = indexFromEvents('bench', d.events, types, wanted);
  const resolvers = compiled.map((q) => {
    const from = q.ast.commands[0];
    const pattern = from?.command === 'from' ? (from.indices.find((p) => !p.startsWith('-')) ?? 'bench') : 'bench';
    return indexResolver([{ ...base, name: pattern.replace(/\*/g, 'x').replace(/^[^:]*:/, '') }]);
  });
  const expected = chosen.map((c) => {
    try {
      const ref = new NaiveWhere(c.cond);
      return d.events.filter((e) => ref.matches(e)).length;
    } catch {
      return undefined;
    }
  });
  const checked = expected.filter((x) => x !== undefined).length;
  return () => {
    const diffs: string[] = [];
    compiled.forEach((q, i) => {
      const rows = q.run(resolvers[i] as ReturnType<typeof indexResolver>, { now: Date.parse('2024-01-02T00:00:00Z') }).rows.length;
      const want = expected[i];
      // The engine's LIMIT-less default caps output at 1000 rows; compare against the capped reference.
      if (want !== undefined && rows !== Math.min(want, 1000)) diffs.push(`q${i}: ${rows} vs ${want}`);
    });
    return { units: compiled.length * d.events.length, ok: diffs.length === 0, note: `${compiled.length} shapes, ${checked} checked against the naive reference${diffs.length ? `; ${diffs.join('; ')}` : ''}` };
  };
}
