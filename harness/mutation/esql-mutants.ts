/**
 * Mutants of an ES|QL rule, made on the query's syntax tree and written back
 * into its text by source span (so comments and layout stay): comparison
 * operators (`==` ↔ `!=`, `>` ↔ `>=`, `<` ↔ `<=`), integer thresholds ±1,
 * LIKE / RLIKE patterns (the leading or trailing `*` / `.*` removed from every
 * pattern of one list — one LIKE, or an OR of LIKEs on one column: contains →
 * ends / starts with), a NOT removed, AND ↔ OR, one AND operand dropped (a WHERE
 * conjunct), a whole single-condition WHERE dropped, and one STATS … BY key
 * dropped. A mutant that no longer parses or compiles is counted as invalid
 * by run-mutation.ts, not as killed.
 */
import type { Rule } from '../core/rule.ts';
import type { Command, Expr, Query } from '../engines/esql/ast.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { stringSpans } from './elastic-mutants.ts';
import { type Mutant, type MutationOperator, withBody } from './model.ts';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly operator: MutationOperator;
  readonly description: string;
}

const COMPARISON_SWAP: Readonly<Record<string, string>> = { '==': '!=', '!=': '==', '>': '>=', '>=': '>', '<': '<=', '<=': '<' };

const show = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s).replace(/\s+/g, ' ');

/** The operator token between two operands: its absolute position. */
function operatorAt(src: string, from: number, to: number, re: RegExp): { at: number; text: string } | undefined {
  const gap = src.slice(from, to);
  const m = re.exec(gap);
  return m && m.index !== undefined ? { at: from + m.index, text: m[0] } : undefined;
}

function exprEdits(src: string, e: Expr, out: Edit[]): void {
  const text = (x: { start: number; end: number }) => src.slice(x.start, x.end);
  switch (e.type) {
    case 'binary': {
      const swap = COMPARISON_SWAP[e.op];
      const op = swap ? operatorAt(src, e.left.end, e.right.start, /==|!=|<=|>=|<|>/) : undefined;
      if (swap && op) out.push({ start: op.at, end: op.at + op.text.length, text: swap, operator: 'swap-comparison', description: `'${show(text(e))}': ${op.text} → ${swap}` });
      for (const side of [e.left, e.right]) {
        if (swap && side.type === 'literal' && side.literal.kind === 'integer') {
          for (const d of [-1, 1]) out.push({ start: side.start, end: side.end, text: String(side.literal.value + d), operator: 'shift-number', description: `'${show(text(e))}': ${side.literal.value} → ${side.literal.value + d}` });
        }
      }
      exprEdits(src, e.left, out);
      exprEdits(src, e.right, out);
      return;
    }
    case 'and':
    case 'or': {
      const chain = e.type === 'or' ? likeChain(src, e) : undefined;
      if (chain) patternEdits(src, chain, out);
      const op = operatorAt(src, e.left.end, e.right.start, e.type === 'and' ? /\band\b/i : /\bor\b/i);
      if (op) {
        const to = e.type === 'and' ? (op.text === 'AND' ? 'OR' : 'or') : op.text === 'OR' ? 'AND' : 'and';
        out.push({ start: op.at, end: op.at + op.text.length, text: to, operator: 'flip-bool', description: `'${show(text(e))}': ${op.text} → ${to}` });
      }
      if (e.type === 'and') {
        out.push({ start: e.start, end: e.end, text: text(e.right), operator: 'drop-clause', description: `drop WHERE conjunct '${show(text(e.left))}'` });
        out.push({ start: e.start, end: e.end, text: text(e.left), operator: 'drop-clause', description: `drop WHERE conjunct '${show(text(e.right))}'` });
      }
      if (chain) return;
      exprEdits(src, e.left, out);
      exprEdits(src, e.right, out);
      return;
    }
    case 'not':
      out.push({ start: e.start, end: e.end, text: text(e.operand), operator: 'remove-not', description: `'${show(text(e))}': NOT removed` });
      exprEdits(src, e.operand, out);
      return;
    case 'like':
    case 'rlike': {
      if (e.negated) {
        const not = operatorAt(src, e.operand.end, e.end, /\bnot\s+/i);
        if (not) out.push({ start: not.at, end: not.at + not.text.length, text: '', operator: 'remove-not', description: `'${show(text(e))}': NOT removed` });
      }
      patternEdits(src, [e], out);
      exprEdits(src, e.operand, out);
      return;
    }
    case 'isNull': {
      const kw = operatorAt(src, e.operand.end, e.end, e.negated ? /\bnot\s+/i : /\bis\s+/i);
      if (kw) out.push({ start: kw.at, end: kw.at + kw.text.length, text: e.negated ? '' : `${kw.text}NOT `, operator: 'remove-not', description: `'${show(text(e))}': ${e.negated ? 'IS NOT NULL → IS NULL' : 'IS NULL → IS NOT NULL'}` });
      return;
    }
    case 'in':
      if (e.negated) {
        const not = operatorAt(src, e.operand.end, e.list[0]?.start ?? e.end, /\bnot\s+/i);
        if (not) out.push({ start: not.at, end: not.at + not.text.length, text: '', operator: 'remove-not', description: `'${show(text(e))}': NOT removed` });
      }
      exprEdits(src, e.operand, out);
      return;
    case 'call':
      for (const a of e.args) exprEdits(src, a, out);
      return;
    case 'neg':
    case 'cast':
      exprEdits(src, e.operand, out);
      return;
    default:
      return;
  }
}

type PatternExpr = Extract<Expr, { type: 'like' | 'rlike' }>;

/** `x LIKE "a*" OR x LIKE "*b" OR …` on one operand: one list of patterns, as a Sigma field's value list. */
function likeChain(src: string, e: Expr): PatternExpr[] | undefined {
  const items: Expr[] = [];
  const flat = (x: Expr): void => (x.type === 'or' ? (flat(x.left), flat(x.right)) : void items.push(x));
  flat(e);
  if (!items.every((x): x is PatternExpr => (x.type === 'like' || x.type === 'rlike') && !x.negated)) return undefined;
  const operand = (x: PatternExpr) => src.slice(x.operand.start, x.operand.end);
  return items.every((x) => operand(x) === operand(items[0] as PatternExpr)) ? (items as PatternExpr[]) : undefined;
}

/**
 * The patterns of one LIKE / RLIKE list lose their leading `*` (RLIKE: `.*`), or
 * their trailing one — contains → ends / starts with, on every pattern of the list
 * at once, as Sigma's mutants change a field's modifier (sigma-mutants.ts).
 */
function patternEdits(src: string, list: readonly PatternExpr[], out: Edit[]): void {
  const literals = list.flatMap((e) => stringSpans(src.slice(e.operand.end, e.end)).map(([a, b]) => ({ kind: e.type, a: e.operand.end + a, b: e.operand.end + b })));
  const first = list[0];
  if (!first || literals.length === 0) return;
  const what = `${src.slice(first.operand.start, first.operand.end)} ${first.type.toUpperCase()} ${literals.length === 1 ? show(src.slice(literals[0]!.a, literals[0]!.b)) : `(${literals.length} patterns)`}`;
  for (const side of ['leading', 'trailing'] as const) {
    let changed = 0;
    const edits = literals.map(({ kind, a, b }) => {
      const literal = src.slice(a, b);
      const quote = literal.startsWith('"""') ? 3 : 1;
      const body = literal.slice(quote, literal.length - quote);
      const star = kind === 'like' ? '*' : '.*';
      const q = literal.slice(0, quote);
      let next = body;
      if (side === 'leading' && body.startsWith(star) && body.length > star.length) next = body.slice(star.length);
      if (side === 'trailing' && body.endsWith(star) && body.length > star.length && !body.endsWith(`\\${star}`)) next = body.slice(0, -star.length);
      if (next !== body) changed++;
      return { a, b, text: `${q}${next}${q}` };
    });
    if (changed === 0) continue;
    // One mutant, several spans: applied from the end so earlier offsets stay valid.
    out.push({ start: edits[0]!.a, end: edits.at(-1)!.b, text: rewrite(src, edits), operator: 'swap-match-position', description: `${what}: ${side} wildcard removed${literals.length > 1 ? ' from every pattern' : ''}` });
  }
}

/** The text between the first and last span with each span replaced. */
function rewrite(src: string, edits: readonly { a: number; b: number; text: string }[]): string {
  let out = '';
  let at = edits[0]!.a;
  for (const e of edits) {
    out += src.slice(at, e.a) + e.text;
    at = e.b;
  }
  return out;
}

function commandEdits(src: string, c: Command, out: Edit[]): void {
  if (c.command === 'where') {
    if (c.condition.type !== 'and') out.push({ start: c.condition.start, end: c.condition.end, text: 'true', operator: 'drop-clause', description: `drop 'WHERE ${show(src.slice(c.condition.start, c.condition.end))}'` });
    exprEdits(src, c.condition, out);
  }
  if (c.command === 'stats') {
    c.groups.forEach((g, i) => {
      const name = src.slice(g.start, g.end);
      if (c.groups.length === 1) {
        const by = operatorAt(src, (c.aggregates.at(-1)?.end ?? c.start), g.start, /\s*\bby\s*$/i);
        if (by) out.push({ start: by.at, end: g.end, text: '', operator: 'drop-join-key', description: `STATS: drop 'BY ${show(name)}'` });
        return;
      }
      const start = i === 0 ? g.start : c.groups[i - 1]!.end;
      const end = i === 0 ? c.groups[1]!.start : g.end;
      out.push({ start, end, text: '', operator: 'drop-join-key', description: `STATS: drop BY key '${show(name)}'` });
    });
  }
}

export function esqlQueryMutants(source: string): { operator: MutationOperator; description: string; query: string }[] {
  let q: Query;
  try {
    q = parseEsql(source);
  } catch {
    return [];
  }
  const edits: Edit[] = [];
  for (const c of q.commands) commandEdits(source, c, edits);
  const seen = new Set<string>();
  const out: { operator: MutationOperator; description: string; query: string }[] = [];
  for (const e of edits) {
    const next = source.slice(0, e.start) + e.text + source.slice(e.end);
    if (next === source || seen.has(next)) continue;
    seen.add(next);
    out.push({ operator: e.operator, description: e.description, query: next });
  }
  return out;
}

export function esqlMutants(rule: Rule): Mutant[] {
  const query = rule.body.query;
  if (typeof query !== 'string') return [];
  return esqlQueryMutants(query).map((m) => ({ operator: m.operator, description: `query: ${m.description}`, rule: withBody(rule, { ...rule.body, query: m.query }) }));
}
