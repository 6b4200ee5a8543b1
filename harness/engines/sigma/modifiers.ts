/**
 * The modifier registry (modifiers appendix v2.1.0; pySigma `modifier_mapping`),
 * as data: one entry per modifier with the value kinds it accepts and what it
 * does. Value modifiers transform each value in turn (expansions item by item);
 * list modifiers change how the item links or negates its values.
 */
import { parseNetwork } from '../common/cidr.ts';
import { text } from '../common/pattern.ts';
import { base64, base64Offsets, BOM, encodedBytes, encodeTokens, utf16Text, windash } from './encodings.ts';
import { shapeRegex } from './regex-shape.ts';
import { hasWildcard, literal, mergeText, parseSigmaString, plainText, product, type SigmaString, type SigmaToken } from './sigma-string.ts';
import { sigmaString, type CompareOp, type SigmaValue, type TimePart, type ValueKind } from './values.ts';

/** What a modifier may read, and how it reports a problem (a LocatedError at the key or the value). */
export interface ModifierContext {
  readonly field: string | null;
  /** Canonical names of the modifiers already applied, in order. */
  readonly applied: readonly string[];
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
  /** Keep `%name%` with no configured values as text (a pipeline's placeholder transformation resolves it). */
  readonly deferPlaceholders: boolean;
  failKey(code: string, message: string): never;
  failValue(code: string, message: string): never;
}

export interface ItemLinking {
  linking: 'or' | 'and';
  negated: boolean;
}

export type ModifierDef =
  | {
      readonly name: string;
      readonly scope: 'value';
      readonly accepts: readonly ValueKind[];
      readonly apply: (v: SigmaValue, ctx: ModifierContext) => SigmaValue;
    }
  | { readonly name: string; readonly scope: 'list'; readonly apply: (state: ItemLinking) => void };

type Of<K extends ValueKind> = Extract<SigmaValue, { kind: K }>;

function valueModifier<K extends ValueKind>(name: string, accepts: readonly K[], apply: (v: Of<K>, ctx: ModifierContext) => SigmaValue): ModifierDef {
  return { name, scope: 'value', accepts, apply: apply as (v: SigmaValue, ctx: ModifierContext) => SigmaValue };
}

const mustBeFirst = (name: string, ctx: ModifierContext): void => {
  if (ctx.applied.length > 0) ctx.failKey('sigma/modifier-order', `modifier '${name}' must come first (found after '${ctx.applied.join('|')}')`);
};

const noWildcards = (v: Of<'string'>, ctx: ModifierContext, what: string): string => {
  if (hasWildcard(v.s)) ctx.failValue('sigma/modifier-value', `${what} of a value with wildcards is not allowed: '${plainText(v.s)}'`);
  return plainText(v.s);
};

/**
 * contains / startswith / endswith: wildcards around strings, `.*` around regexes, positions on field
 * references. `start`/`end`: open on that side. A number is taken as its text: pySigma (PyYAML, YAML 1.1)
 * reads `00000429` as a string where js-yaml (YAML 1.2) reads the number 429, so SigmaHQ rules have
 * numbers here that pySigma never saw.
 */
/** Wildcards on the open side(s), unless one is already there. */
export function wrap(v: Of<'string'>, start: boolean, end: boolean): SigmaValue {
  let s: SigmaToken[] = [...v.s];
  if (start && s[0]?.kind !== 'star') s = [{ kind: 'star' }, ...s];
  if (end && s[s.length - 1]?.kind !== 'star') s = [...s, { kind: 'star' }];
  return { ...v, s };
}

function position(name: string, start: boolean, end: boolean): ModifierDef {
  return valueModifier(name, ['string', 're', 'fieldref', 'number'], (v) => {
    switch (v.kind) {
      case 'number':
        return wrap({ kind: 'string', s: literal(String(v.value)), cased: false }, start, end);
      case 'string':
        return wrap(v, start, end);
      case 're':
        return { ...v, source: shapeRegex(v.source, start, end) };
      case 'fieldref':
        return { ...v, leading: v.leading || start, trailing: v.trailing || end };
    }
  });
}

function utf16(name: string, endian: 'le' | 'be', bom: boolean): ModifierDef {
  return valueModifier(name, ['string'], (v, ctx) => {
    const enc = encodeTokens(v.s, (t) => utf16Text(t, endian));
    if (!enc) return ctx.failValue('sigma/modifier-value', `modifier '${name}' only accepts ASCII text (as pySigma), got '${plainText(v.s)}'`);
    return { ...v, s: bom ? mergeText([text(BOM), ...enc]) : enc };
  });
}

function regexFlag(name: string, flag: 'i' | 'm' | 's'): ModifierDef {
  return valueModifier(name, ['re'], (v) => (v.flags.includes(flag) ? v : { ...v, flags: v.flags + flag }));
}

const compare = (op: CompareOp): ModifierDef => valueModifier(op, ['number'], (v) => ({ kind: 'compare', op, value: v.value }));
const timePart = (part: TimePart): ModifierDef => valueModifier(part, ['number'], (v) => ({ kind: 'timepart', part, value: Math.trunc(v.value) }));

/**
 * A placeholder left for a pipeline, marked with private-use characters so configured values
 * that themselves contain `%name%` text are not mistaken for it.
 */
export const deferredPlaceholder = (name: string): string => `\uE000${name}\uE001`;
export const DEFERRED_PLACEHOLDER = /\uE000(\w+)\uE001/g;

/** `%name%` placeholders (not preceded by a backslash); `\%` is a literal percent. */
const PLACEHOLDER = /(?<!\\)%(\w+)%/g;

function expandPlaceholders(v: Of<'string'>, ctx: ModifierContext): SigmaValue {
  const parts: SigmaString[][] = [];
  for (const t of v.s) {
    if (t.kind !== 'text') {
      parts.push([[t]]);
      continue;
    }
    let last = 0;
    for (const m of t.text.matchAll(PLACEHOLDER)) {
      parts.push([literal(t.text.slice(last, m.index).replaceAll('\\%', '%'))]);
      const name = m[1]!;
      const values = Object.prototype.hasOwnProperty.call(ctx.placeholders, name) ? ctx.placeholders[name] : undefined;
      if ((!values || values.length === 0) && ctx.deferPlaceholders) {
        parts.push([literal(deferredPlaceholder(name))]);
        last = m.index + m[0].length;
        continue;
      }
      if (!values || values.length === 0) ctx.failValue('sigma/unknown-placeholder', `placeholder %${name}% has no configured values (set sigma.placeholders.${name} in harness.config.yml)`);
      parts.push(values.map((x) => parseSigmaString(String(x))));
      last = m.index + m[0].length;
    }
    parts.push([literal(t.text.slice(last).replaceAll('\\%', '%'))]);
  }
  const all = product(parts).map((s) => sigmaString(s, v.cased));
  return all.length === 1 ? all[0]! : { kind: 'expansion', values: all };
}

/** Build a registry; registering a name twice throws. */
export function createModifierRegistry(defs: readonly (readonly [ModifierDef, ...string[]])[]): ReadonlyMap<string, ModifierDef> {
  const map = new Map<string, ModifierDef>();
  for (const [def, ...aliases] of defs) {
    for (const n of [def.name, ...aliases]) {
      if (map.has(n)) throw new Error(`modifier '${n}' registered twice`);
      map.set(n, def);
    }
  }
  return map;
}

/** Every Sigma 2.1 modifier, with pySigma's aliases (`wide` = `utf16le`, `i` = `ignorecase`, …). */
export const MODIFIERS = createModifierRegistry([
  [{ name: 'all', scope: 'list', apply: (s) => void (s.linking = 'and') }],
  [{ name: 'neq', scope: 'list', apply: (s) => void (s.negated = true) }],
  [position('contains', true, true)],
  [position('startswith', false, true)],
  [position('endswith', true, false)],
  [valueModifier('cased', ['string'], (v) => ({ ...v, cased: true }))],
  [
    valueModifier('exists', ['boolean'], (v, ctx) => {
      mustBeFirst('exists', ctx);
      if (ctx.field === null) ctx.failKey('sigma/modifier-field', "modifier 'exists' needs a field name");
      return { kind: 'exists', value: v.value };
    }),
  ],
  [
    valueModifier('re', ['string'], (v, ctx) => {
      mustBeFirst('re', ctx);
      return { kind: 're', source: plainText(v.s), flags: '' };
    }),
  ],
  [regexFlag('i', 'i'), 'ignorecase'],
  [regexFlag('m', 'm'), 'multiline'],
  [regexFlag('s', 's'), 'dotall'],
  [
    valueModifier('cidr', ['string'], (v, ctx) => {
      mustBeFirst('cidr', ctx);
      const t = plainText(v.s);
      try {
        return { kind: 'cidr', network: parseNetwork(t), text: t };
      } catch (e) {
        return ctx.failValue('sigma/invalid-cidr', (e as Error).message);
      }
    }),
  ],
  [valueModifier('base64', ['string'], (v, ctx) => sigmaString(literal(base64(encodedBytes(noWildcards(v, ctx, 'base64 encoding'), ctx.applied.includes('utf16')))), v.cased))],
  [
    valueModifier('base64offset', ['string'], (v, ctx) => {
      const data = encodedBytes(noWildcards(v, ctx, 'base64offset encoding'), ctx.applied.includes('utf16'));
      return { kind: 'expansion', values: base64Offsets(data).map((s) => sigmaString(literal(s), v.cased)) };
    }),
  ],
  [utf16('wide', 'le', false), 'utf16le'],
  [utf16('utf16be', 'be', false)],
  [utf16('utf16', 'le', true)],
  [
    valueModifier('windash', ['string'], (v) => {
      const all = windash(v.s).map((s) => sigmaString(s, v.cased));
      return all.length === 1 ? all[0]! : { kind: 'expansion', values: all };
    }),
  ],
  [compare('gt')],
  [compare('gte')],
  [compare('lt')],
  [compare('lte')],
  [valueModifier('fieldref', ['string'], (v, ctx) => ({ kind: 'fieldref', other: noWildcards(v, ctx, 'a field reference'), leading: false, trailing: false, cased: v.cased }))],
  [valueModifier('expand', ['string'], expandPlaceholders)],
  [timePart('minute')],
  [timePart('hour')],
  [timePart('day')],
  [timePart('week')],
  [timePart('month')],
  [timePart('year')],
]);

const KIND_NAMES: Record<ValueKind, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
  re: 'a regular expression',
  cidr: 'a CIDR network',
  compare: 'a comparison',
  fieldref: 'a field reference',
  exists: 'an exists check',
  timepart: 'a time part',
  expansion: 'an expansion',
};

/** Apply one value modifier to a value; expansions are modified item by item and stay one OR group. */
export function applyValueModifier(def: Extract<ModifierDef, { scope: 'value' }>, v: SigmaValue, ctx: ModifierContext): SigmaValue {
  if (v.kind === 'expansion') {
    const values = v.values.flatMap((x) => {
      const r = applyValueModifier(def, x, ctx);
      return r.kind === 'expansion' ? r.values : [r];
    });
    return { kind: 'expansion', values };
  }
  if (!def.accepts.includes(v.kind)) {
    const hint = v.kind === 'number' && def.accepts.includes('string') ? " (quote the number to make it a string)" : '';
    return ctx.failValue('sigma/modifier-type', `modifier '${def.name}' cannot apply to ${KIND_NAMES[v.kind]}${hint}; it takes ${def.accepts.map((k) => KIND_NAMES[k]).join(' or ')}`);
  }
  return def.apply(v, ctx);
}
