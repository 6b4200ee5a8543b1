import type { Command, NamePattern } from '../ast.ts';
import { QuerySyntaxError } from '../../common/query-syntax-error.ts';
import { globRegExp } from '../glob.ts';
import type { Column } from '../types.ts';
import { mapStage, type PlanContext, type Stage } from './stage.ts';

/** Precedence of a KEEP pattern: an exact name beats a partial wildcard, which beats `*`. */
const rank = (p: string): number => (!p.includes('*') ? 2 : p === '*' ? 0 : 1);

function matches(p: NamePattern, columns: readonly Column[], ctx: PlanContext): number[] {
  const re = globRegExp(p.pattern);
  const hits = columns.flatMap((c, i) => (re.test(c.name) ? [i] : []));
  if (hits.length === 0 && !p.pattern.includes('*')) throw new QuerySyntaxError(`Unknown column [${p.pattern}]`, ctx.source, p.start);
  if (hits.length === 0 && p.pattern !== '*') throw new QuerySyntaxError(`No matches found for pattern [${p.pattern}]`, ctx.source, p.start);
  return hits;
}

/**
 * KEEP: columns in pattern order; a column matched by several patterns goes
 * to the one of highest precedence (exact > partial wildcard > `*`), the
 * rightmost among equals — Elasticsearch's documented rule.
 */
export function compileKeep(cmd: Command & { command: 'keep' }, input: readonly Column[], ctx: PlanContext): Stage {
  const owner = new Map<number, number>();
  cmd.patterns.forEach((p, pi) => {
    for (const ci of matches(p, input, ctx)) {
      const prev = owner.get(ci);
      if (prev === undefined || rank(p.pattern) >= rank((cmd.patterns[prev] as NamePattern).pattern)) owner.set(ci, pi);
    }
  });
  const order: number[] = [];
  cmd.patterns.forEach((_, pi) => {
    input.forEach((_c, ci) => {
      if (owner.get(ci) === pi) order.push(ci);
    });
  });
  return mapStage(order.map((i) => input[i] as Column), (r) => order.map((i) => r[i] ?? null));
}

export function compileDrop(cmd: Command & { command: 'drop' }, input: readonly Column[], ctx: PlanContext): Stage {
  const dropped = new Set<number>();
  for (const p of cmd.patterns) for (const i of matches(p, input, ctx)) dropped.add(i);
  const order = input.flatMap((_, i) => (dropped.has(i) ? [] : [i]));
  return mapStage(order.map((i) => input[i] as Column), (r) => order.map((i) => r[i] ?? null));
}
