import type { Command } from '../ast.ts';
import { QuerySyntaxError } from '../../common/query-syntax-error.ts';
import { compileExpr } from '../compile/expr.ts';
import { isString, valuesOf, type Column, type EsType, type Scalar, type Value } from '../types.ts';
import { extractStage } from './dissect.ts';
import { GROK_PATTERNS } from './grok-patterns.ts';
import { scopeOf, type PlanContext, type Stage } from './stage.ts';

const TYPES: Readonly<Record<string, EsType>> = { int: 'integer', integer: 'integer', long: 'long', float: 'double', double: 'double', boolean: 'boolean' };

interface Capture {
  readonly group: string;
  readonly column: Column;
}

/**
 * Expand grok `%{NAME}` / `%{NAME:field}` / `%{NAME:field:type}` and raw
 * `(?<field>…)` groups into one JS regex; field names (which may contain dots)
 * become numbered groups. Atomic groups `(?>…)` are treated as plain groups.
 */
export function compileGrok(pattern: string, fail: (msg: string) => Error): { re: RegExp; captures: Capture[] } {
  const captures: Capture[] = [];
  const expand = (p: string, depth: number): string => {
    if (depth > 20) throw fail(`grok pattern nests too deeply: [${pattern}]`);
    return p
      .replace(/\(\?<([A-Za-z_@][\w.@-]*)>/g, (_m, name: string) => {
        const group = `g${captures.length}`;
        captures.push({ group, column: { name, type: 'keyword' } });
        return `(?<${group}>`;
      })
      .replace(/%\{(\w+)(?::([\w.@[\]-]+))?(?::(\w+))?\}/g, (_m, name: string, field: string | undefined, type: string | undefined) => {
        const def = GROK_PATTERNS[name];
        if (def === undefined) throw fail(`Unable to find pattern [${name}] in Grok's pattern dictionary`);
        const body = expand(def, depth + 1).replace(/\(\?<g\d+>/g, '(?:');
        if (field === undefined) return `(?:${body})`;
        const group = `g${captures.length}`;
        captures.push({ group, column: { name: field, type: (type === undefined ? undefined : TYPES[type]) ?? 'keyword' } });
        return `(?<${group}>${body})`;
      });
  };
  let source = expand(pattern, 0).replace(/\(\?>/g, '(?:');
  let flags = '';
  const lead = /^\(\?([imsx]+)\)/.exec(source);
  if (lead) {
    source = source.slice(lead[0].length);
    flags = [...new Set(lead[1] ?? '')].filter((f) => f !== 'x').join('');
  }
  source = source.replace(/\(\?i:([^()]*)\)/g, (_m, body: string) => `(?:${caseless(body)})`);
  try {
    return { re: new RegExp(source, `${flags}u`), captures };
  } catch {
    try {
      return { re: new RegExp(source, flags), captures };
    } catch (e) {
      throw fail(`Invalid GROK pattern [${pattern}]: ${(e as Error).message}`);
    }
  }
}

/** A scoped `(?i:…)` group (Oniguruma, Java) as JS: each letter outside escapes and classes becomes `[xX]`. */
function caseless(body: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\') {
      out += c + (body[++i] ?? '');
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    const lo = c.toLowerCase();
    const up = c.toUpperCase();
    out += !inClass && lo !== up ? `[${lo}${up}]` : inClass && lo !== up ? `${lo}${up}` : c;
  }
  return out;
}

function typed(s: string, t: EsType): Scalar | null {
  switch (t) {
    case 'integer':
    case 'long': {
      const n = Number.parseInt(s, 10);
      return Number.isNaN(n) ? null : n;
    }
    case 'double': {
      const n = Number.parseFloat(s);
      return Number.isNaN(n) ? null : n;
    }
    case 'boolean':
      return s.toLowerCase() === 'true';
    default:
      return s;
  }
}

/** GROK: columns from named captures (keyword, or the type named in the pattern); no match gives nulls. */
export function compileGrokCommand(cmd: Command & { command: 'grok' }, input: readonly Column[], ctx: PlanContext): Stage {
  const scope = scopeOf(input, ctx);
  const src = compileExpr(cmd.input, scope);
  if (!isString(src.type) && src.type !== 'null') throw scope.error(`Grok only supports KEYWORD or TEXT values, found expression [${scope.text(cmd.input)}] type [${src.type}]`, cmd.input);
  const { re, captures } = compileGrok(cmd.patterns.join('|'), (msg) => new QuerySyntaxError(msg, ctx.source, cmd.patternAt));
  const seen = new Set<string>();
  const columns = captures.filter((c) => (seen.has(c.column.name) ? false : (seen.add(c.column.name), true))).map((c) => c.column);
  return extractStage(input, columns, (row) => {
    const per = new Map<string, Scalar[]>();
    for (const v of valuesOf(src.eval(row))) {
      const m = re.exec(String(v));
      if (!m?.groups) continue;
      for (const c of captures) {
        const g = m.groups[c.group];
        if (g === undefined) continue;
        const x = typed(g, c.column.type);
        if (x === null) continue;
        const list = per.get(c.column.name) ?? [];
        list.push(x);
        per.set(c.column.name, list);
      }
    }
    return columns.map((c): Value => {
      const vs = per.get(c.name) ?? [];
      return vs.length === 0 ? null : vs.length === 1 ? (vs[0] as Scalar) : vs;
    });
  });
}
