/**
 * One detection item, `field|mod1|mod2: value(s)` (rules spec "Detection",
 * sigma.md §2, §4–§6): split the key, look up the modifiers, type the YAML
 * values, apply the modifiers left to right, and compile the result into a
 * Node. Field-less items (keywords) search every leaf value of the event.
 */
import type { Trace } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { LocatedError, type DocPath, type LocatedWarning } from '../../core/located-error.ts';
import { didYouMean } from '../../core/suggest.ts';
import { fieldGetter } from '../common/fields.ts';
import type { Predicate } from '../common/predicate.ts';
import { applyValueModifier, MODIFIERS, wrap, type ItemLinking, type ModifierContext, type ModifierDef } from './modifiers.ts';
import { FieldValues } from './event-scope.ts';
import type { Node } from './nodes.ts';
import { literal, parseSigmaString } from './sigma-string.ts';
import { StringGroup } from './string-group.ts';
import { stringParts, valueTest, type ValueTest } from './value-tests.ts';
import type { SigmaValue } from './values.ts';

export interface CompileContext {
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
  /** Where compiling reports what is legal but likely a mistake. */
  readonly warnings: LocatedWarning[];
  /** Leave `%name%` placeholders without configured values in the text for a pipeline to resolve. */
  readonly deferPlaceholders?: boolean;
}

/** A YAML scalar as the rule author wrote it (for trace labels). */
export function printRaw(v: unknown): string {
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  if (Array.isArray(v)) return `[${v.map(printRaw).join(', ')}]`;
  return String(v);
}

/** One reader per field name, shared across rules (a corpus names ~2k fields), so an event's values are read once in an event scope. */
const FIELD_VALUES = new Map<string, FieldValues>();
const KEYWORD_VALUES = new FieldValues(undefined);
function valuesOf(field: string | null): FieldValues {
  if (field === null) return KEYWORD_VALUES;
  let v = FIELD_VALUES.get(field);
  if (!v) FIELD_VALUES.set(field, (v = new FieldValues(fieldGetter(field))));
  return v;
}

const POSITION = new Set(['contains', 'startswith', 'endswith']);

/** Where an item's problems are reported: the key (modifiers) or the value being modified. */
class ItemScope implements ModifierContext {
  applied: string[] = [];
  index: number | undefined;
  constructor(
    readonly field: string | null,
    readonly placeholders: Readonly<Record<string, readonly string[]>>,
    private readonly path: DocPath,
    readonly deferPlaceholders: boolean,
  ) {}
  failKey(code: string, message: string): never {
    throw new LocatedError(code, message, this.path, { atKey: true });
  }
  failValue(code: string, message: string): never {
    throw new LocatedError(code, message, this.index === undefined ? this.path : [...this.path, this.index]);
  }
}

function typed(raw: unknown, asRegex: boolean, scope: ItemScope): SigmaValue {
  if (asRegex && (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean')) return { kind: 'string', s: literal(String(raw)), cased: false };
  if (typeof raw === 'string') return { kind: 'string', s: parseSigmaString(raw), cased: false };
  if (typeof raw === 'number') return { kind: 'number', value: raw };
  if (typeof raw === 'boolean') return { kind: 'boolean', value: raw };
  if (raw === null || raw === undefined) return { kind: 'null' };
  return scope.failValue('sigma/value-type', `a detection value must be a string, number, boolean or null, not ${Array.isArray(raw) ? 'a list' : 'a mapping'}`);
}

/** A keyword is a full-text search: strings become `*value*` unless a position modifier placed them. */
function asKeyword(v: SigmaValue, positioned: boolean, scope: ItemScope): SigmaValue {
  switch (v.kind) {
    case 'string':
      return positioned ? v : wrap(v, true, true);
    case 'number':
    case 'boolean':
      return asKeyword({ kind: 'string', s: literal(String(v.value)), cased: false }, positioned, scope);
    case 're':
      return v;
    case 'expansion':
      return { kind: 'expansion', values: v.values.map((x) => asKeyword(x, positioned, scope)) };
    case 'null':
      return scope.failValue('sigma/keyword-null', 'null value must be bound to a field (a keyword cannot be null)');
    default:
      return scope.failKey('sigma/keyword-modifier', `a keyword (an item without a field) cannot be ${v.kind === 'compare' ? 'a comparison' : `a ${v.kind} check`}; name the field`);
  }
}

/** OR-linked values, strings tested together in one pass (explain and predicate still read each test). */
class AnyOf {
  private readonly group: StringGroup;
  private readonly rest: readonly ValueTest[];
  constructor(tests: readonly ValueTest[]) {
    const parts = stringParts(tests);
    this.group = new StringGroup(parts.strings);
    this.rest = parts.rest;
  }
  test(vals: readonly unknown[], e: Event, source: FieldValues): boolean {
    const g = this.group;
    if (g.size > 0 && vals.length > 0 && g.test(vals, g.folds ? source.foldedOf(e, vals) : undefined)) return true;
    for (const t of this.rest) if (t.test(vals, e, source)) return true;
    return false;
  }
}

class ItemNode implements Node {
  /** Built on first use: most of a corpus's items never see an event. */
  private anyOf: AnyOf | undefined;
  constructor(
    private readonly key: string | null,
    private readonly raw: unknown,
    private readonly field: string | null,
    private readonly source: FieldValues,
    private readonly tests: readonly ValueTest[],
    private readonly linking: 'and' | 'or',
    private readonly negated: boolean,
  ) {}

  /** The key as written; `keyword` names the empty field of keyword items. */
  private get keyLabel(): string {
    return this.key === null ? 'keyword' : this.field === null ? `keyword${this.key}` : this.key;
  }

  get label(): string {
    return `${this.keyLabel}: ${printRaw(this.raw)}`;
  }

  private values(e: Event): readonly unknown[] {
    return this.source.of(e);
  }

  test(e: Event): boolean {
    const vals = this.values(e);
    const ts = this.tests;
    let r: boolean;
    if (this.linking === 'or') r = (this.anyOf ??= new AnyOf(ts)).test(vals, e, this.source);
    else {
      r = true;
      for (let i = 0; i < ts.length && r; i++) r = ts[i]!.test(vals, e);
    }
    return this.negated ? !r : r;
  }

  explain(e: Event): Trace {
    const vals = this.values(e);
    const result = this.test(e);
    const neg = this.negated ? 'negated (neq): ' : '';
    if (this.tests.length === 1) {
      const t = this.tests[0]!;
      return { label: this.label, result, detail: neg + t.why(vals, e, t.test(vals, e)), children: [] };
    }
    const raws = Array.isArray(this.raw) ? this.raw : [this.raw];
    const children = this.tests.map((t, i) => {
      const r = t.test(vals, e);
      return { label: `${this.keyLabel}: ${printRaw(raws[i])}`, result: r, detail: t.why(vals, e, r), children: [] };
    });
    return { label: this.label, result, ...(neg ? { detail: `${neg}${this.linking === 'and' ? 'all' : 'any'} of the values` } : {}), children };
  }

  predicate(): Predicate {
    const leaves = this.tests.map((t) => t.predicate(this.field));
    const p: Predicate = leaves.length === 1 ? leaves[0]! : { kind: this.linking, children: leaves };
    return this.negated ? { kind: 'not', child: p } : p;
  }
}

/**
 * A detection item after its modifiers ran (pySigma `SigmaDetectionItem`): the
 * stage a processing pipeline rewrites before the item compiles into a Node.
 * `key`/`raw` are what the label shows; `path` is where problems are reported.
 */
export interface ParsedItem {
  readonly kind: 'item';
  readonly field: string | null;
  readonly modifiers: readonly string[];
  readonly values: readonly SigmaValue[];
  readonly linking: 'and' | 'or';
  readonly negated: boolean;
  readonly key: string | null;
  readonly raw: unknown;
  readonly path: DocPath;
  /** Values came from a YAML list, one per index of `path` (so errors point at the value). */
  readonly listed: boolean;
  /** Keyword values were placed by a position modifier (no implicit `*…*`). */
  readonly positioned: boolean;
  /** Ids of the pipeline processing items applied to this item (pySigma `applied_processing_items`). */
  readonly applied: readonly string[];
}

/**
 * Type `key: value` and apply its modifiers (key null for a bare keyword value). `path` points at the key.
 * @example parseItem('Image|endswith', '\\cmd.exe', ['detection', 'selection', 'Image|endswith'], ctx)
 */
export function parseItem(key: string | null, raw: unknown, path: DocPath, ctx: CompileContext): ParsedItem {
  const parts = key === null ? [''] : key.split('|');
  const field = parts[0] === '' ? null : parts[0]!;
  const modNames = parts.slice(1);
  const defs: ModifierDef[] = [];
  for (const m of modNames) {
    const def = MODIFIERS.get(m);
    if (!def) throw new LocatedError('sigma/unknown-modifier', `unknown modifier '${m}'${didYouMean(m, MODIFIERS.keys())}`, path, { atKey: true });
    defs.push(def);
  }
  const isList = Array.isArray(raw) && raw.length > 0;
  // An empty list is `null` (pySigma): the field must be missing or null.
  const rawList: readonly unknown[] = Array.isArray(raw) ? (raw.length === 0 ? [null] : raw) : [raw];
  const linking: ItemLinking = { linking: 'or', negated: false };
  const asRegex = modNames.includes('re');
  const positioned = field === null && modNames.some((m) => POSITION.has(m));
  const scope = new ItemScope(field, ctx.placeholders, path, ctx.deferPlaceholders ?? false);

  const values: SigmaValue[] = [];
  for (let i = 0; i < rawList.length; i++) {
    scope.index = isList ? i : undefined;
    scope.applied = [];
    let v = typed(rawList[i], asRegex, scope);
    for (const def of defs) {
      if (def.scope === 'list') def.apply(linking);
      else v = applyValueModifier(def, v, scope);
      scope.applied.push(def.name);
    }
    values.push(v);
  }
  return { kind: 'item', field, modifiers: modNames, values, linking: linking.linking, negated: linking.negated, key, raw, path, listed: isList, positioned, applied: [] };
}

/** Compile a parsed (and possibly pipeline-mapped) item into its Node. */
export function compileParsedItem(item: ParsedItem): Node {
  const { field, path } = item;
  const scope = new ItemScope(field, {}, path, false);
  const byIndex = item.listed && Array.isArray(item.raw) && item.raw.length === item.values.length;
  const tests: ValueTest[] = [];
  for (let i = 0; i < item.values.length; i++) {
    scope.index = byIndex ? i : undefined;
    let v = item.values[i]!;
    if (field === null) v = asKeyword(v, item.positioned, scope);
    try {
      tests.push(valueTest(v));
    } catch (e) {
      scope.failValue('sigma/invalid-regex', (e as Error).message);
    }
  }
  return new ItemNode(item.key, item.raw, field, valuesOf(field), tests, item.linking, item.negated);
}

/**
 * Compile `key: value` (key null for a bare keyword value). `path` points at the key in the document.
 * @example compileItem('Image|endswith', '\\cmd.exe', ['detection', 'selection', 'Image|endswith'], ctx)
 */
export function compileItem(key: string | null, raw: unknown, path: DocPath, ctx: CompileContext): Node {
  return compileParsedItem(parseItem(key, raw, path, ctx));
}
