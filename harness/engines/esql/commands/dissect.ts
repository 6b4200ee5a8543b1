import type { Command } from '../ast.ts';
import { QuerySyntaxError } from '../../common/query-syntax-error.ts';
import { compileExpr } from '../compile/expr.ts';
import { isString, valuesOf, type Column, type Value } from '../types.ts';
import { mapStage, scopeOf, type PlanContext, type Row, type Stage } from './stage.ts';

type Mode = 'normal' | 'skip' | 'append' | 'reference' | 'named';

type Part =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'key'; readonly name: string; readonly mode: Mode; readonly order: number; readonly padded: boolean };

/** Parse a dissect pattern (Elasticsearch's dissect processor syntax): `%{key}`, `%{?skip}`, `%{+append/2}`, `%{*name}`/`%{&name}`, `%{key->}`. */
export function parseDissect(pattern: string, source: string, at: number): Part[] {
  const parts: Part[] = [];
  const re = /%\{([^}]*)\}/g;
  let last = 0;
  for (const m of pattern.matchAll(re)) {
    if (m.index > last) parts.push({ kind: 'literal', text: pattern.slice(last, m.index) });
    last = m.index + m[0].length;
    let body = m[1] ?? '';
    const padded = body.endsWith('->');
    if (padded) body = body.slice(0, -2);
    let mode: Mode = 'normal';
    if (body.startsWith('?')) mode = 'skip';
    else if (body.startsWith('+')) mode = 'append';
    else if (body.startsWith('*')) mode = 'named';
    else if (body.startsWith('&')) mode = 'reference';
    if (mode !== 'normal') body = body.slice(1);
    let order = 0;
    const slash = /\/(\d+)$/.exec(body);
    if (slash && mode === 'append') {
      order = Number(slash[1]);
      body = body.slice(0, slash.index);
    }
    if (body === '' && mode === 'normal') mode = 'skip';
    parts.push({ kind: 'key', name: body, mode, order, padded });
  }
  if (last < pattern.length) parts.push({ kind: 'literal', text: pattern.slice(last) });
  if (!parts.some((p) => p.kind === 'key')) throw new QuerySyntaxError(`Invalid pattern for dissect: [${pattern}]`, source, at);
  for (let i = 1; i < parts.length; i++)
    if (parts[i]?.kind === 'key' && parts[i - 1]?.kind === 'key') throw new QuerySyntaxError(`Invalid pattern for dissect: [${pattern}]: two keys without a delimiter between them`, source, at);
  return parts;
}

/** Match one value: each key takes text up to its next delimiter (the last key takes the rest). */
function dissectOne(parts: readonly Part[], s: string, sep: string): Map<string, string> | undefined {
  let pos = 0;
  const raw: { part: Part & { kind: 'key' }; value: string }[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as Part;
    if (p.kind === 'literal') {
      if (!s.startsWith(p.text, pos)) return undefined;
      pos += p.text.length;
      continue;
    }
    const next = parts[i + 1];
    let value: string;
    if (next === undefined) {
      value = s.slice(pos);
      pos = s.length;
    } else {
      const delim = (next as Part & { kind: 'literal' }).text;
      const idx = s.indexOf(delim, pos);
      if (idx < 0) return undefined;
      value = s.slice(pos, idx);
      pos = idx;
      if (p.padded) while (s.startsWith(delim + delim, pos)) pos += delim.length;
    }
    raw.push({ part: p, value });
  }
  const out = new Map<string, string>();
  const appends = new Map<string, { order: number; value: string }[]>();
  const names = new Map<string, string>();
  for (const { part, value } of raw) {
    if (part.mode === 'skip') continue;
    if (part.mode === 'named') names.set(part.name, value);
    else if (part.mode === 'reference') out.set(names.get(part.name) ?? part.name, value);
    else if (part.mode === 'append' || appends.has(part.name)) {
      const list = appends.get(part.name) ?? [];
      list.push({ order: part.order, value });
      appends.set(part.name, list);
    } else out.set(part.name, value);
  }
  for (const [k, list] of appends) {
    const prior = out.get(k);
    const all = prior === undefined ? list : [{ order: -1, value: prior }, ...list];
    out.set(k, [...all].sort((a, b) => a.order - b.order).map((x) => x.value).join(sep));
  }
  return out;
}

/** The output keys of a pattern, in order of first appearance. */
function keysOf(parts: readonly Part[]): string[] {
  const keys: string[] = [];
  for (const p of parts) if (p.kind === 'key' && p.mode !== 'skip' && p.mode !== 'named' && p.mode !== 'reference' && !keys.includes(p.name)) keys.push(p.name);
  return keys;
}

/** DISSECT: new keyword columns from a delimiter pattern; values that do not match give nulls. Each value of a multi-value is dissected. */
export function compileDissect(cmd: Command & { command: 'dissect' }, input: readonly Column[], ctx: PlanContext): Stage {
  const scope = scopeOf(input, ctx);
  const src = compileExpr(cmd.input, scope);
  if (!isString(src.type) && src.type !== 'null') throw scope.error(`Dissect only supports KEYWORD or TEXT values, found expression [${scope.text(cmd.input)}] type [${src.type}]`, cmd.input);
  const parts = parseDissect(cmd.pattern, ctx.source, cmd.patternAt);
  const keys = keysOf(parts);
  return extractStage(input, keys.map((name) => ({ name, type: 'keyword' as const })), (row) => {
    const results = valuesOf(src.eval(row)).flatMap((v) => {
      const m = dissectOne(parts, String(v), cmd.appendSeparator);
      return m ? [m] : [];
    });
    return keys.map((k) => {
      const vs = results.flatMap((m) => (m.has(k) ? [m.get(k) as string] : []));
      return vs.length === 0 ? null : vs.length === 1 ? (vs[0] as string) : vs;
    });
  });
}

/** Append extracted columns (replacing same-named ones) computed per row. */
export function extractStage(input: readonly Column[], added: readonly Column[], extract: (row: Row) => Value[]): Stage {
  const names = new Set(added.map((a) => a.name));
  const keep = input.flatMap((c, i) => (names.has(c.name) ? [] : [i]));
  return mapStage([...keep.map((i) => input[i] as Column), ...added], (r) => [...keep.map((i) => r[i] ?? null), ...extract(r)]);
}
