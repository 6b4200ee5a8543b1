import type { Event } from '../core/event.ts';
import { networkContains, parseIp, parseNetwork } from '../engines/common/cidr.ts';
import { fieldGetter, scalarText } from '../engines/common/fields.ts';
import type { Leaf, Predicate } from '../engines/common/predicate.ts';
import { describePredicate } from '../reports/describe-predicate.ts';
import { nameOf } from './names.ts';
import { isRecord } from '../core/event.ts';
import { REMOVE, mapValues, removeField, setField } from './event-edit.ts';
import { evaluate, leafTruth, type ModelOptions } from './model/evaluate.ts';
import { realisticValue, seededFaker, type Dialect } from './realistic.ts';
import { formatIp, synthesize } from './synthesize.ts';
import { literalSpans } from './text-spans.ts';

/**
 * Near misses: from an event the rule matches, change *one* constraint of the
 * branch that matched just enough to break it — flip one character of a
 * literal, drop the field, step outside the network or range, make a filter
 * hold — and keep the result only when the generator's model says the rule
 * no longer matches (F, or EQL null) and every leaf involved is one the model
 * decides exactly. Opaque leaves are never broken; a tree whose other
 * branches the model cannot decide on the mutated event yields nothing.
 */
export interface NearMiss {
  readonly event: Event;
  /** Which constraint was broken, and how. */
  readonly description: string;
  /** The broken constraint as the rule states it. */
  readonly constraint: string;
}

export interface NearMissOptions {
  readonly model: ModelOptions;
  readonly dialect: Dialect;
  readonly seed?: number;
  /** Only constraints inside this sub-tree (a scaffold branch); default: the whole logic. */
  readonly within?: Predicate;
  /**
   * Start from an event the model cannot fully decide (an opaque clause: `U`): a leaf
   * that holds is still broken, and the result is kept only when the model then
   * decides F or N (a failing conjunct decides an AND whatever its opaque siblings say).
   */
  readonly fromUndecided?: boolean;
}

type Point = { readonly kind: 'break'; readonly leaf: Leaf } | { readonly kind: 'satisfy'; readonly node: Predicate; readonly label?: string };

/** The constraints of the branch that matched: leaves that hold, and negated sub-trees that do not. */
function matchedPoints(p: Predicate, event: Event, opts: ModelOptions, out: Point[]): void {
  switch (p.kind) {
    case 'and':
      for (const c of p.children) matchedPoints(c, event, opts, out);
      return;
    case 'or': {
      const hit = p.children.find((c) => evaluate(c, event, opts) === 'T');
      if (hit) matchedPoints(hit, event, opts, out);
      return;
    }
    case 'not':
      out.push({ kind: 'satisfy', node: p.child, ...(p.label ? { label: p.label } : {}) });
      return;
    case 'const':
      return;
    default:
      if (leafTruth(p, event, opts) === 'T') out.push({ kind: 'break', leaf: p });
  }
}

export function nearMisses(logic: Predicate, event: Event, o: NearMissOptions): NearMiss[] {
  const start = (p: Predicate) => {
    const t = evaluate(p, event, o.model);
    return t === 'T' || (o.fromUndecided === true && t === 'U');
  };
  if (!start(logic)) return [];
  const scope = o.within ?? logic;
  if (!start(scope)) return [];
  const points: Point[] = [];
  matchedPoints(scope, event, o.model, points);
  const out: NearMiss[] = [];
  const seen = new Set<string>();
  points.forEach((pt, i) => {
    const seed = (o.seed ?? 1) + i;
    const tries = pt.kind === 'break' ? breakLeaf(pt.leaf, event, o, seed) : satisfyNode(pt.node, pt.label, event, o, seed);
    for (const t of tries) {
      const verdict = evaluate(logic, t.event, o.model);
      if (verdict !== 'F' && verdict !== 'N') continue;
      const key = JSON.stringify(t.event);
      if (seen.has(key)) break;
      seen.add(key);
      out.push(t);
      break;
    }
  });
  return out;
}

function satisfyNode(node: Predicate, label: string | undefined, event: Event, o: NearMissOptions, seed: number): NearMiss[] {
  const ev = synthesize(node, true, event, { model: o.model, dialect: o.dialect, faker: seededFaker(seed), style: 'nested' });
  if (!ev) return [];
  const what = label ?? nameOf(node);
  // Name the alternative that now holds (`1 of filter_*` → which filter).
  const held = node.kind === 'or' ? node.children.find((c) => evaluate(c, ev, o.model) === 'T') : undefined;
  const how = held ? `${nameOf(held)} now holds` : `${what} now holds`;
  return [{ event: ev, description: `made the excluded clause hold: ${how}`, constraint: label ? `not ${label}` : nameOf({ kind: 'not', child: node }) }];
}

/** A different character of the same class: a letter for a letter (never the same letter in another case), a digit for a digit. */
export function flipChar(c: string): string {
  if (/[a-y]/.test(c) || /[A-Y]/.test(c) || /[0-8]/.test(c)) return String.fromCharCode(c.charCodeAt(0) + 1);
  if (c === 'z') return 'a';
  if (c === 'Z') return 'A';
  if (c === '9') return '0';
  if (c === '\\') return '/';
  if (c === '/') return '\\';
  if (c === '.') return '_';
  if (c === 'x') return 'y';
  return 'x';
}

/** Positions of literal characters to try flipping: letters and digits first, from the middle of the longest literal. */
function flipPositions(spans: readonly [number, number][], value: string): number[] {
  const sorted = [...spans].sort((a, b) => b[1] - b[0] - (a[1] - a[0]));
  const out: number[] = [];
  for (const [s, e] of sorted) {
    const idx = Array.from({ length: e - s }, (_, k) => s + k);
    const mid = (s + e) / 2;
    idx.sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid));
    out.push(...idx.filter((i) => /[\p{L}\p{N}]/u.test(value[i]!)), ...idx.filter((i) => !/[\p{L}\p{N}]/u.test(value[i]!)));
  }
  return out;
}

const keepType = (orig: unknown, text: string): unknown => (typeof orig === 'number' && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

function breakLeaf(leaf: Leaf, event: Event, o: NearMissOptions, seed: number): NearMiss[] {
  const constraint = describePredicate(leaf);
  const single = (ev: Event | undefined, how: string): NearMiss[] => (ev ? [{ event: ev, description: `${constraint}: ${how}`, constraint }] : []);
  const holdsOn = (v: unknown): boolean => leafTruth(leaf, leaf.kind === 'fieldref' || leaf.field === null ? { v } : (setField({}, leaf.field, v, 'dotted') ?? {}), o.model) === 'T';
  switch (leaf.kind) {
    case 'match': {
      const tries: NearMiss[] = [];
      for (let attempt = 0; attempt < 4; attempt++) {
        let changed = '';
        const edit = (v: unknown): unknown => {
          const t = scalarText(v);
          if (t === undefined || !holdsOn(v)) return v;
          const positions = flipPositions(literalSpans(t, leaf.pattern, leaf.mode), t);
          const at = positions[attempt];
          if (at === undefined) return v;
          const flipped = t.slice(0, at) + flipChar(t[at]!) + t.slice(at + 1);
          changed = `${JSON.stringify(t)} → ${JSON.stringify(flipped)}`;
          return keepType(v, flipped);
        };
        const ev = leaf.field === null ? mapAllLeaves(event, edit) : mapValues(event, leaf.field, edit);
        if (changed) tries.push(...single(ev, `flipped one character of a literal part (${changed})`));
      }
      if (leaf.field !== null) tries.push(...single(removeField(event, leaf.field), `removed ${leaf.field}`));
      return tries;
    }
    case 'regex': {
      if (leaf.field === null) return [];
      const tries: NearMiss[] = [];
      for (let attempt = 0; attempt < 24; attempt++) {
        let changed = '';
        const ev = mapValues(event, leaf.field, (v) => {
          const t = scalarText(v);
          if (t === undefined || !holdsOn(v) || attempt >= t.length) return v;
          const at = Math.floor(t.length / 2 + (attempt % 2 ? -1 : 1) * Math.ceil(attempt / 2)) ;
          if (at < 0 || at >= t.length) return v;
          const flipped = t.slice(0, at) + flipChar(t[at]!) + t.slice(at + 1);
          changed = `${JSON.stringify(t)} → ${JSON.stringify(flipped)}`;
          return keepType(v, flipped);
        });
        if (changed && leafTruth(leaf, ev, o.model) !== 'T') tries.push(...single(ev, `changed one character so the regex no longer matches (${changed})`));
        if (tries.length >= 2) break;
      }
      tries.push(...single(removeField(event, leaf.field), `removed ${leaf.field}`));
      return tries;
    }
    case 'cidr': {
      let net;
      try {
        net = parseNetwork(leaf.network);
      } catch {
        return [];
      }
      const bits = net.family === 4 ? 32 : 128;
      if (net.prefix === 0) return single(removeField(event, leaf.field), `removed ${leaf.field}`);
      const size = 1n << BigInt(bits - net.prefix);
      const max = (1n << BigInt(bits)) - 1n;
      const outside = net.base + size <= max ? net.base + size : net.base - 1n;
      const addr = formatIp(net.family, outside);
      const ev = mapValues(event, leaf.field, (v) => {
        const t = scalarText(v);
        const ip = t === undefined ? undefined : parseIp(t);
        return ip && networkContains(net, ip) ? addr : v;
      });
      return single(ev, `moved the address just outside ${leaf.network} (${addr})`);
    }
    case 'range': {
      const b = leaf.value;
      if (typeof b !== 'number' && !/^-?\d+(\.\d+)?$/.test(b)) return [];
      const bound = Number(b);
      const target = leaf.op === 'gt' ? bound : leaf.op === 'gte' ? bound - 1 : leaf.op === 'lt' ? bound : bound + 1;
      const ev = mapValues(event, leaf.field, (v) => (holdsOn(v) ? (typeof v === 'string' ? String(target) : target) : v));
      return single(ev, `set ${leaf.field} to ${target}, just outside ${leaf.op} ${bound}`);
    }
    case 'equals': {
      const ev = mapValues(event, leaf.field, (v) => {
        if (!holdsOn(v)) return v;
        if (typeof leaf.value === 'boolean') return typeof v === 'string' ? String(!leaf.value) : !leaf.value;
        return typeof v === 'string' ? String(leaf.value + 1) : leaf.value + 1;
      });
      return single(ev, typeof leaf.value === 'boolean' ? `negated ${leaf.field}` : `set ${leaf.field} to ${leaf.value + 1}`);
    }
    case 'exists':
      return single(removeField(event, leaf.field), `removed ${leaf.field}`);
    case 'null': {
      const value = realisticValue(seededFaker(seed), leaf.field, o.dialect);
      const ev = fieldGetter(leaf.field)(event).length > 0 ? mapValues(event, leaf.field, () => value) : setField(event, leaf.field, value);
      return single(ev, `gave ${leaf.field} a value (${JSON.stringify(value)})`);
    }
    case 'fieldref': {
      let changed = '';
      const ev = mapValues(event, leaf.field, (v) => {
        const t = scalarText(v);
        if (t === undefined || t.length === 0) return v;
        const flipped = flipChar(t[0]!) + t.slice(1);
        changed = `${JSON.stringify(t)} → ${JSON.stringify(flipped)}`;
        return flipped;
      });
      return changed ? single(ev, `flipped the first character (${changed})`) : [];
    }
    case 'opaque':
      return [];
  }
}

/** Apply an edit to every scalar of the event (keyword search reads them all). */
function mapAllLeaves(event: Event, edit: (v: unknown) => unknown): Event {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (isRecord(node)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(node)) Object.defineProperty(out, k, { value: walk(node[k]), enumerable: true, writable: true, configurable: true });
      return out;
    }
    const r = edit(node);
    return r === REMOVE ? node : r;
  };
  return walk(event) as Event;
}
