import fc from 'fast-check';
import type { Event } from '../core/event.ts';
import type { Command, Expr, Query } from '../engines/esql/ast.ts';
import { javaRegex } from '../engines/esql/functions/strings.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import { setField } from './event-edit.ts';
import type { Ctx, Draft } from './scaffold.ts';
import { exprChildren } from '../engines/esql/expr-children.ts';

/**
 * The match-counting idiom of Elastic's PowerShell obfuscation rules:
 * `EVAL tmp = REPLACE(text, """re""", "🔥") | EVAL n = LENGTH(tmp) - LENGTH(REPLACE(tmp, "🔥", ""))
 * | WHERE n >= k`. The constraint model sees `n >= k` as opaque; here each positive's
 * text gets k sample matches of the regex appended (fast-check's stringMatching), so
 * the engine's check of the draft can confirm it. Nothing here decides the verdict.
 */
export interface CountedPattern {
  readonly field: string;
  readonly regex: RegExp;
  /** The fewest matches every WHERE on the count column asks for. */
  readonly atLeast: number;
}

export function* walk(e: Expr): Generator<Expr> {
  yield e;
  for (const c of exprChildren(e)) yield* walk(c);
}

const isMarkerReplace = (e: Expr): e is Extract<Expr, { type: 'call' }> => e.type === 'call' && e.name.toUpperCase() === 'REPLACE' && e.args.length === 3;
const stringArg = (e: Expr | undefined): string | undefined => (e?.type === 'literal' && e.literal.kind === 'string' ? e.literal.value : undefined);

/** The counted patterns of a query: REPLACE(field, re, marker) whose marker count a later EVAL takes and a WHERE bounds. */
export function countedPatterns(q: Query): CountedPattern[] {
  const evals = q.commands.flatMap((c: Command) => (c.command === 'eval' ? c.fields : []));
  const wheres = q.commands.flatMap((c: Command) => (c.command === 'where' ? [c.condition] : []));
  const out: CountedPattern[] = [];
  for (const tmp of evals) {
    const e = tmp.expr;
    if (!isMarkerReplace(e) || e.args[0]?.type !== 'field') continue;
    const source = stringArg(e.args[1]);
    const marker = stringArg(e.args[2]);
    if (source === undefined || !marker) continue;
    // The count column: an EVAL that replaces the marker in `tmp` again.
    const counter = evals.find((f) => [...walk(f.expr)].some((x) => isMarkerReplace(x) && x.args[0]?.type === 'field' && x.args[0].name === tmp.name && stringArg(x.args[1]) === marker));
    if (!counter) continue;
    let atLeast = 1;
    for (const w of wheres)
      for (const x of walk(w))
        if (x.type === 'binary' && x.left.type === 'field' && x.left.name === counter.name && x.right.type === 'literal' && x.right.literal.kind === 'integer')
          if (x.op === '>=' || x.op === '>' || x.op === '==') atLeast = Math.max(atLeast, x.right.literal.value + (x.op === '>' ? 1 : 0));
    try {
      out.push({ field: e.args[0].name, regex: javaRegex(source), atLeast });
    } catch {
      // A pattern the engine refuses is reported by the engine itself.
    }
  }
  return out;
}

/** Lookaround groups without nested parentheses: fast-check cannot sample them, so samples are drawn without and filtered by the whole regex. */
export const LOOKAROUND = /\(\?<?[=!](?:\\.|[^()\\])*\)/g;

/** `n` texts the regex matches, joined by blank lines so neighbouring samples stay separate matches. */
function samples(regex: RegExp, n: number, seed: number): string {
  // stringMatching refuses the `i` flag; a sample of the case-sensitive form matches under `i` too.
  const flags = regex.flags.replace(/[gyi]/g, '');
  const whole = new RegExp(regex.source, regex.flags.replace(/[gy]/g, ''));
  try {
    const drawn = fc.sample(fc.stringMatching(new RegExp(`^(?:${regex.source.replace(LOOKAROUND, '')})$`, flags), { size: 'xsmall' }), { seed, numRuns: n * 4 });
    const kept = drawn.filter((t) => whole.test(t)).slice(0, n);
    return kept.length === n ? kept.join('\n;\n') : '';
  } catch {
    return '';
  }
}

function plant(c: Ctx, e: Event, patterns: readonly CountedPattern[]): Event {
  let out = e;
  for (const p of patterns) {
    const text = samples(p.regex, p.atLeast + 2, c.seed);
    if (!text) continue;
    const before = fieldGetter(p.field)(out)[0];
    out = setField(out, p.field, `${typeof before === 'string' ? before : ''}\n${text}\n`, c.dialect === 'ecs' ? 'nested' : 'dotted') ?? out;
  }
  return out;
}

/** The draft with every positive's events carrying enough matches of each counted pattern. */
export function plantCountedPatterns(c: Ctx, d: Draft): Draft {
  const query = c.detector.rule.body.query;
  if (typeof query !== 'string' || !query.includes('REPLACE') && !/replace\s*\(/i.test(query)) return d;
  let patterns: CountedPattern[];
  try {
    patterns = countedPatterns(parseEsql(query));
  } catch {
    return d;
  }
  if (!patterns.length) return d;
  const cases = d.cases.map((k) => (k.role === 'positive' ? { ...k, events: k.events.map((e) => plant(c, e, patterns)) } : k));
  return { ...d, cases, notes: [...d.notes, `positives carry sample matches of the counted pattern(s) on ${patterns.map((p) => p.field).join(', ')}`] };
}
