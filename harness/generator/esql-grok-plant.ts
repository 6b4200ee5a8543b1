import fc from 'fast-check';
import type { Command, Query } from '../engines/esql/ast.ts';
import { compileGrok } from '../engines/esql/commands/grok.ts';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { plantTexts, sourceField, wanted } from './esql-dissect-plant.ts';
import { LOOKAROUND } from './esql-plant.ts';
import type { Ctx, Draft } from './scaffold.ts';

/**
 * GROK run backwards: each named slot the WHERE clauses name a value for
 * (`k == "x"`, `k IN (…)`, `k LIKE "*x*"`) is replaced by that value, the rest of
 * the expanded pattern is sampled (fast-check's stringMatching), and a sample is
 * kept only when the real grok regex matches it. Only a GROK over a source field,
 * or over an EVAL that passes plain text through (sourceField), is inverted; positives only; the engine's
 * check of the draft decides whether the text really fires.
 */
type Grok = Command & { command: 'grok' };

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The index just past the `)` closing the group opened at `open`. */
function groupEnd(p: string, open: number): number {
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '(') depth++;
    else if (p[i] === ')' && --depth === 0) return i + 1;
  }
  return p.length;
}

/** The grok pattern with each slot the WHERE names a value for replaced by that value, escaped. */
export function fillSlots(pattern: string, want: (key: string) => string | undefined): string {
  let p = pattern.replace(/%\{\w+:([\w.@[\]-]+)(?::\w+)?\}/g, (m, key: string) => {
    const v = want(key);
    return v === undefined ? m : escape(v);
  });
  for (let from = 0; ; ) {
    const m = /\(\?<([A-Za-z_@][\w.@-]*)>/.exec(p.slice(from));
    if (!m) return p;
    const open = from + m.index;
    const v = want(m[1]!);
    if (v === undefined) {
      from = open + m[0].length;
      continue;
    }
    p = p.slice(0, open) + escape(v) + p.slice(groupEnd(p, open));
    from = open;
  }
}

/** A text the grok pattern matches, with the wanted values in their slots; undefined when none is found. */
export function grokText(pattern: string, want: (key: string) => string | undefined, seed: number): string | undefined {
  try {
    const whole = compileGrok(pattern, (msg) => new Error(msg)).re;
    const filled = compileGrok(fillSlots(pattern, want), (msg) => new Error(msg)).re;
    const source = filled.source.replace(LOOKAROUND, '');
    const drawn = fc.sample(fc.stringMatching(new RegExp(`^(?:${source})$`, filled.flags.replace(/[gyi]/g, '')), { size: 'xsmall' }), { seed, numRuns: 20 });
    return drawn.find((t) => new RegExp(whole.source, whole.flags.replace(/[gy]/g, '')).test(t));
  } catch {
    return undefined;
  }
}

/** The source fields to set: each GROK over a source field, with a text its pattern matches. */
export function grokTexts(q: Query, seed: number): Map<string, string> {
  const wheres = q.commands.flatMap((c) => (c.command === 'where' ? [c.condition] : []));
  const out = new Map<string, string>();
  for (const g of q.commands.filter((c): c is Grok => c.command === 'grok')) {
    const target = g.input.type === 'field' ? sourceField(q, g.input.name) : undefined;
    if (!target || out.has(target) || !g.patterns[0]) continue;
    const text = grokText(g.patterns[0], (k) => wanted(wheres, k), seed);
    if (text !== undefined) out.set(target, text);
  }
  return out;
}

/** The draft with every positive's GROK source fields holding text the pattern matches. */
export function plantGrokked(c: Ctx, d: Draft): Draft {
  const query = c.detector.rule.body.query;
  if (typeof query !== 'string' || !/grok/i.test(query)) return d;
  let texts: Map<string, string>;
  try {
    texts = grokTexts(parseEsql(query), c.seed);
  } catch {
    return d;
  }
  return plantTexts(c, d, texts, 'GROK text sampled from the pattern');
}
