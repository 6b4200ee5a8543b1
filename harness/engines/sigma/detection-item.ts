/**
 * One detection item, `field|mod1|mod2: value(s)` (rules spec "Detection",
 * sigma.md §2, §4–§6): split the key, look up the modifiers, type the YAML
 * values, apply the modifiers left to right, and compile the result into a
 * Node. Field-less items (keywords) search every leaf value of the event.
 */
import type { Trace } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { LocatedError, type DocPath } from '../../core/located-error.ts';
import { didYouMean } from '../../core/suggest.ts';
import { leafValues, type FieldGetter } from '../common/fields.ts';
import type { Predicate } from '../common/predicate.ts';
import { applyValueModifier, MODIFIERS, type ItemLinking, type ModifierContext, type ModifierDef } from './modifiers.ts';
import type { Node } from './nodes.ts';
import { literal, parseSigmaString, type SigmaToken } from './sigma-string.ts';
import { valueTest, type ValueTest } from './value-tests.ts';
import type { SigmaValue } from './values.ts';

export interface CompileContext {
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
  /** One getter per field name per rule. */
  getter(field: string): FieldGetter;
}

/** A YAML scalar as the rule author wrote it (for trace labels). */
export function printRaw(v: unknown): string {
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  if (Array.isArray(v)) return `[${v.map(printRaw).join(', ')}]`;
  return String(v);
}

const POSITION = new Set(['contains', 'startswith', 'endswith']);

function typed(raw: unknown, asRegex: boolean, fail: (code: string, msg: string) => never): SigmaValue {
  if (asRegex && (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean')) return { kind: 'string', s: literal(String(raw)), cased: false };
  if (typeof raw === 'string') return { kind: 'string', s: parseSigmaString(raw), cased: false };
  if (typeof raw === 'number') return { kind: 'number', value: raw };
  if (typeof raw === 'boolean') return { kind: 'boolean', value: raw };
  if (raw === null || raw === undefined) return { kind: 'null' };
  return fail('sigma/value-type', `a detection value must be a string, number, boolean or null, not ${Array.isArray(raw) ? 'a list' : 'a mapping'}`);
}

/** A keyword is a full-text search: strings become `*value*` unless a position modifier placed them. */
function asKeyword(v: SigmaValue, positioned: boolean, fail: (code: string, msg: string) => never): SigmaValue {
  switch (v.kind) {
    case 'string': {
      if (positioned) return v;
      let s: SigmaToken[] = [...v.s];
      if (s[0]?.kind !== 'star') s = [{ kind: 'star' }, ...s];
      if (s[s.length - 1]?.kind !== 'star') s = [...s, { kind: 'star' }];
      return { ...v, s };
    }
    case 'number':
    case 'boolean':
      return asKeyword({ kind: 'string', s: literal(String(v.value)), cased: false }, positioned, fail);
    case 're':
      return v;
    case 'expansion':
      return { kind: 'expansion', values: v.values.map((x) => asKeyword(x, positioned, fail)) };
    case 'null':
      return fail('sigma/keyword-null', 'null value must be bound to a field (a keyword cannot be null)');
    default:
      return fail('sigma/keyword-modifier', `a keyword (an item without a field) cannot be ${v.kind === 'compare' ? 'a comparison' : `a ${v.kind} check`}; name the field`);
  }
}

class ItemNode implements Node {
  constructor(
    readonly label: string,
    private readonly field: string | null,
    private readonly values: (e: Event) => readonly unknown[],
    private readonly tests: readonly { readonly label: string; readonly test: ValueTest }[],
    private readonly linking: 'and' | 'or',
    private readonly negated: boolean,
  ) {}

  test(e: Event): boolean {
    const vals = this.values(e);
    const ts = this.tests;
    let r: boolean;
    if (ts.length === 1) r = ts[0]!.test.test(vals, e);
    else if (this.linking === 'or') {
      r = false;
      for (let i = 0; i < ts.length && !r; i++) r = ts[i]!.test.test(vals, e);
    } else {
      r = true;
      for (let i = 0; i < ts.length && r; i++) r = ts[i]!.test.test(vals, e);
    }
    return this.negated ? !r : r;
  }

  explain(e: Event): Trace {
    const vals = this.values(e);
    const result = this.test(e);
    const why = (t: ValueTest): string => {
      const r = t.test(vals, e);
      return t.why(vals, e, r);
    };
    const neg = this.negated ? 'negated (neq): ' : '';
    if (this.tests.length === 1) return { label: this.label, result, detail: neg + why(this.tests[0]!.test), children: [] };
    const children = this.tests.map((t) => ({ label: t.label, result: t.test.test(vals, e), detail: why(t.test), children: [] }));
    return { label: this.label, result, ...(neg ? { detail: `${neg}${this.linking === 'and' ? 'all' : 'any'} of the values` } : {}), children };
  }

  predicate(): Predicate {
    const leaves = this.tests.map((t) => t.test.predicate(this.field));
    const p: Predicate = leaves.length === 1 ? leaves[0]! : { kind: this.linking, children: leaves };
    return this.negated ? { kind: 'not', child: p } : p;
  }
}

/**
 * Compile `key: value` (key null for a bare keyword value). `path` points at the key in the document.
 * @example compileItem('Image|endswith', '\\cmd.exe', ['detection', 'selection', 'Image|endswith'], ctx)
 */
export function compileItem(key: string | null, raw: unknown, path: DocPath, ctx: CompileContext): Node {
  const [fieldPart = '', ...modNames] = key === null ? [''] : key.split('|');
  const field = fieldPart === '' ? null : fieldPart;
  const defs: ModifierDef[] = modNames.map((m) => {
    const def = MODIFIERS.get(m);
    if (!def) throw new LocatedError('sigma/unknown-modifier', `unknown modifier '${m}'${didYouMean(m, MODIFIERS.keys())}`, path, { atKey: true });
    return def;
  });
  const keyLabel = (field ?? 'keyword') + modNames.map((m) => `|${m}`).join('');
  const isList = Array.isArray(raw);
  const rawList: readonly unknown[] = isList ? (raw.length === 0 ? [null] : raw) : [raw];
  const linking: ItemLinking = { linking: 'or', negated: false };
  const asRegex = modNames.includes('re');

  const tests = rawList.map((r, i) => {
    const at = isList && (raw as unknown[]).length > 0 ? [...path, i] : path;
    const failValue = (code: string, msg: string): never => {
      throw new LocatedError(code, msg, at);
    };
    let v = typed(r, asRegex, failValue);
    const applied: string[] = [];
    for (const def of defs) {
      if (def.scope === 'list') def.apply(linking);
      else {
        const mctx: ModifierContext = {
          field,
          applied,
          placeholders: ctx.placeholders,
          failKey: (code, msg) => {
            throw new LocatedError(code, msg, path, { atKey: true });
          },
          failValue,
        };
        v = applyValueModifier(def, v, mctx);
      }
      applied.push(def.name);
    }
    if (field === null) v = asKeyword(v, modNames.some((m) => POSITION.has(m)), failValue);
    try {
      return { label: `${keyLabel}: ${printRaw(r)}`, test: valueTest(v) };
    } catch (e) {
      throw new LocatedError('sigma/invalid-regex', (e as Error).message, at);
    }
  });
  const values = field === null ? (e: Event) => leafValues(e) : ctx.getter(field);
  return new ItemNode(`${keyLabel}: ${printRaw(raw)}`, field, values, tests, linking.linking, linking.negated);
}
