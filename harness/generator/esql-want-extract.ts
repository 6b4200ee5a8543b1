import type { Command, Expr } from '../engines/esql/ast.ts';
import { parseDissect } from '../engines/esql/commands/dissect.ts';
import type { Assignment } from './esql-assignment.ts';
import { grokText } from './esql-grok-plant.ts';
import type { Want, WantContext } from './esql-want.ts';

/**
 * A wanted value of a GROK / DISSECT key, as a wanted text of the command's
 * input: the pattern filled with the value in the key's slot and, in the other
 * slots, the values those keys hold on the failing row (so meeting one
 * condition on a key keeps the others met), else a plain token (DISSECT) or a
 * sample of the slot's pattern (GROK).
 */
type Extract = Command & { command: 'grok' | 'dissect' };

export function extractedKeys(c: Extract): string[] {
  if (c.command === 'dissect') return [...c.pattern.matchAll(/%\{[+?*&]?([^}\s:>-]+)/g)].map((m) => m[1]!);
  return c.patterns.flatMap((p) => [...p.matchAll(/%\{\w+:([^}:]+)|\(\?<([^>]+)>/g)].map((m) => (m[1] ?? m[2])!));
}

function textFor(c: Extract, key: string, v: string | undefined, w: WantContext): string | undefined {
  const other = (k: string): string | undefined => {
    if (k === key) return v;
    const cur = w.column?.(k);
    return typeof cur === 'string' && cur.length ? cur : undefined;
  };
  if (c.command === 'grok') return c.patterns[0] === undefined ? undefined : grokText(c.patterns[0], other, w.seed ?? 1);
  let n = 0;
  // The source is not needed to read a pattern the engine already compiled.
  return parseDissect(c.pattern, c.pattern, 0)
    .map((p) => (p.kind === 'literal' ? p.text : p.mode === 'skip' ? 'k' : (other(p.name) ?? `v${++n}`)))
    .join('');
}

/** Edits under which key `key` of the command takes one of the wanted values; `input` reads a wanted text of the command's input. */
export function extractedValue(c: Extract, key: string, wants: readonly Want[], w: WantContext, input: (e: Expr, texts: Want[]) => Assignment[]): Assignment[] {
  const texts: Want[] = [];
  for (const x of wants) {
    const v = x.k === 'value' || x.k === 'contains' || x.k === 'prefix' ? String(x.v) : x.k === 'any' ? undefined : x.k === 'length' ? 'x'.repeat(x.n) : null;
    if (v === null) continue;
    const t = textFor(c, key, v, w);
    if (t === undefined) continue;
    texts.push({ k: 'value', v: t });
    // GROK reads its first match anywhere in the text: put first, the text keeps what other conditions ask of it.
    if (c.command === 'grok') texts.push({ k: 'prefix', v: t });
  }
  return texts.length ? input(c.input, texts) : [];
}
