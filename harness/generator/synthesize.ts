import type { Faker } from '@faker-js/faker';
import fc from 'fast-check';
import type { Event } from '../core/event.ts';
import { parseNetwork } from '../engines/common/cidr.ts';
import { fieldGetter, scalarText } from '../engines/common/fields.ts';
import { normalizePattern, type Pattern } from '../engines/common/pattern.ts';
import type { Leaf, Predicate } from '../engines/common/predicate.ts';
import { parseTimestamp } from '../engines/common/time.ts';
import { removeField, setField } from './event-edit.ts';
import { touches } from './model/analysis.ts';
import { evaluate, leafTruth, type ModelOptions } from './model/evaluate.ts';
import { fieldKind, realisticValue, type Dialect } from './realistic.ts';

/**
 * Satisfying assignments: an event that makes a predicate true (or false),
 * built from the tree alone. The tree is walked into sets of leaf
 * requirements (`leaf must hold` / `leaf must fail`) — one alternative of each
 * `or`, one failing child of each negated `and` — with backtracking; each
 * field then gets a value meeting its requirements (a string built from the
 * patterns with realistic filler, a number inside the ranges, an address in
 * the network…), and the result is checked with the generator's model.
 */
export interface SynthContext {
  readonly model: ModelOptions;
  readonly dialect: Dialect;
  readonly faker: Faker;
  readonly style: 'nested' | 'dotted';
  /** Path / command-line style when the patterns do not show it (default: by dialect). */
  readonly os?: 'windows' | 'unix';
  /** Fields the synthesizer must not use as keyword carriers (e.g. protected ones). */
  readonly avoid?: ReadonlySet<string>;
}

interface Req {
  readonly leaf: Leaf;
  readonly want: boolean;
}

const MAX_SETS = 120;
const MAX_STEPS = 4000;

interface Budget {
  /** Complete requirement sets still to try. */
  n: number;
  /** Choices still to consider while building them. */
  steps: number;
}

/**
 * Requirement sets that would make `p` evaluate to `want`, lazily, most direct first.
 * `outer`: requirements already chosen around `p` — choices that contradict them are
 * pruned where they are made, so a nested `and` does not enumerate its combinations
 * against an outer pin it cannot meet.
 */
function* requirementSets(p: Predicate, want: boolean, budget: Budget, model: ModelOptions, outer: readonly Req[]): Generator<Req[]> {
  if (budget.n <= 0 || budget.steps <= 0) return;
  switch (p.kind) {
    case 'const':
      if (p.value === want) yield [];
      return;
    case 'not':
      yield* requirementSets(p.child, !want, budget, model, outer);
      return;
    case 'and':
    case 'or': {
      const all = (p.kind === 'and') === want;
      if (all) yield* product(p.children, 0, want, budget, outer, model);
      else for (const c of p.children) yield* requirementSets(c, want, budget, model, outer);
      return;
    }
    default:
      if (compatible(outer, [{ leaf: p, want }], model)) yield [{ leaf: p, want }];
  }
}

/** Every child with polarity `want` (yields only the requirements added to `prefix`). */
function* product(children: readonly Predicate[], i: number, want: boolean, budget: Budget, prefix: readonly Req[], model: ModelOptions): Generator<Req[]> {
  if (i === children.length) {
    yield [];
    return;
  }
  for (const head of requirementSets(children[i]!, want, budget, model, prefix)) {
    // Work bound: pruned choices yield nothing, so they are counted here, not by the caller.
    if (--budget.steps <= 0) return;
    const next = [...prefix, ...head];
    for (const rest of product(children, i + 1, want, budget, next, model)) {
      yield [...head, ...rest];
      if (budget.n <= 0) return;
    }
  }
}

/** The value a requirement pins down: an exact literal or a typed equality (any value holding it includes this one). */
function pinned(l: Leaf): unknown {
  if (l.kind === 'equals') return l.value;
  if (l.kind === 'match' && l.field !== null && l.pattern.every((t) => t.kind === 'text')) return l.pattern.map((t) => (t.kind === 'text' ? t.text : '')).join('');
  return undefined;
}

/**
 * Can `head` join `prefix`? Not when a leaf is wanted both ways, nor when a field's
 * pinned value makes a leaf that must fail hold (an array of values would still
 * contain the pinned one, so no value can fix that).
 */
function compatible(prefix: readonly Req[], head: readonly Req[], model: ModelOptions): boolean {
  if (head.length === 0) return true;
  const all = [...prefix, ...head];
  for (const r of head) {
    const l = r.leaf;
    if (all.some((x) => x.leaf === l && x.want !== r.want)) return false;
    if (l.kind === 'fieldref' || l.field === null) continue;
    const field = l.field;
    const sameField = all.filter((x) => x.leaf.kind !== 'fieldref' && x.leaf.field === field);
    const pins = sameField.filter((x) => x.want).map((x) => pinned(x.leaf)).filter((v) => v !== undefined);
    const mustFail = sameField.filter((x) => !x.want).map((x) => x.leaf);
    for (const v of pins) {
      const probe = setField({}, field, v, 'dotted') ?? {};
      if (mustFail.some((n) => leafTruth(n, probe, model) === 'T')) return false;
    }
  }
  return true;
}

const MISSING = Symbol('missing');
type FieldValue = unknown | typeof MISSING;

const CARRIERS: Record<Dialect, readonly string[]> = {
  windows: ['Message', 'Details', 'Payload', 'Data', 'ScriptBlockText_Note'],
  ecs: ['message', 'event.original', 'error.message', 'labels.note', 'labels.extra'],
};

/**
 * An event on which `p` evaluates to `want` (true: the model says T; false:
 * F or N), starting from `base` (fields the requirements do not touch keep
 * their values). Undefined when no assignment was found within the budget.
 */
export function synthesize(p: Predicate, want: boolean, base: Event, ctx: SynthContext): Event | undefined {
  const budget: Budget = { n: MAX_SETS, steps: MAX_STEPS };
  let tries = 0;
  for (const reqs of requirementSets(p, want, budget, ctx.model, [])) {
    budget.n--;
    if (++tries > MAX_SETS) break;
    if (contradictory(reqs)) continue;
    for (let variant = 0; variant < 3; variant++) {
      const ev = assign(reqs, base, ctx, variant);
      if (!ev) continue;
      const t = evaluate(p, ev, ctx.model);
      if (want ? t === 'T' : t === 'F' || t === 'N') return ev;
    }
  }
  return undefined;
}

function contradictory(reqs: readonly Req[]): boolean {
  const seen = new Map<Leaf, boolean>();
  for (const r of reqs) {
    const w = seen.get(r.leaf);
    if (w !== undefined && w !== r.want) return true;
    seen.set(r.leaf, r.want);
  }
  return false;
}

/** Build an event meeting a set of leaf requirements (checked per field; the caller checks the whole tree). */
function assign(reqs: readonly Req[], base: Event, ctx: SynthContext, variant: number): Event | undefined {
  const byField = new Map<string, { pos: Leaf[]; neg: Leaf[] }>();
  const keywords: Req[] = [];
  const refs: Req[] = [];
  for (const r of reqs) {
    const l = r.leaf;
    if (l.kind === 'fieldref') {
      refs.push(r);
      continue;
    }
    if (l.field === null) {
      if (r.want) keywords.push(r);
      continue; // a keyword that must fail is checked on the whole event
    }
    const slot = byField.get(l.field) ?? { pos: [], neg: [] };
    (r.want ? slot.pos : slot.neg).push(l);
    byField.set(l.field, slot);
  }
  let ev: Event | undefined = base;
  for (const [field, { pos, neg }] of byField) {
    const v = fieldValue(field, pos, neg, ctx, variant);
    if (v === FAIL) return undefined;
    ev = v === MISSING ? removeField(ev, field) : setField(ev, field, v, ctx.style);
    if (!ev) return undefined;
  }
  for (const r of refs) {
    ev = r.leaf.kind === 'fieldref' ? applyFieldref(ev, r.leaf, r.want, ctx, byField) : ev;
    if (!ev) return undefined;
  }
  const carriers = CARRIERS[ctx.dialect].filter((c) => ![...byField.keys()].some((f) => touches(c, f)) && ![...(ctx.avoid ?? [])].some((f) => touches(c, f)));
  for (const [i, r] of keywords.entries()) {
    const l = r.leaf;
    const carrier = carriers[i];
    if (!carrier) return undefined;
    const value = l.kind === 'match' ? matchCandidates([l], 'text', ctx, variant)[0] : l.kind === 'regex' ? regexCandidates(l, variant)[0] : undefined;
    if (value === undefined) return undefined;
    ev = setField(ev, carrier, value, ctx.style);
    if (!ev) return undefined;
  }
  return ev;
}

const FAIL = Symbol('fail');

/** A value for one field meeting `pos` (must hold) and `neg` (must fail), or MISSING, or FAIL. */
export function fieldValue(field: string, pos: readonly Leaf[], neg: readonly Leaf[], ctx: SynthContext, variant = 0): FieldValue | typeof FAIL {
  const ok = (v: FieldValue): boolean => {
    const ev = v === MISSING ? {} : setField({}, field, v, 'dotted');
    if (!ev) return false;
    return pos.every((l) => l.kind === 'opaque' || leafTruth(l, ev, ctx.model) === 'T') && neg.every((l) => l.kind === 'opaque' || leafTruth(l, ev, ctx.model) === 'F');
  };
  const candidates: FieldValue[] = [];
  if (pos.some((l) => l.kind === 'null')) candidates.push(MISSING);
  else if (pos.every((l) => l.kind === 'opaque' || l.kind === 'exists')) {
    for (let i = 0; i < 4; i++) candidates.push(realisticValue(ctx.faker, field, ctx.dialect));
    // Negations can exclude every realistic shape (`not contains 'C:\'`): less typical values next.
    const f = ctx.faker;
    candidates.push(...candidates.filter((v): v is string => typeof v === 'string' && /^C:/i.test(v)).map((v) => `D:${v.slice(2)}`));
    candidates.push(f.word.noun(), f.system.fileName(), f.string.alphanumeric(10), MISSING);
  } else {
    const kind = fieldKind(field) === 'command' ? 'command' : fieldKind(field) === 'path' ? 'path' : 'text';
    const matches = pos.filter((l): l is Extract<Leaf, { kind: 'match' }> => l.kind === 'match');
    const fromMatches = matches.length ? matchCandidates(matches, kind, ctx, variant) : [];
    // Analysed text: every leaf's words in one value, separated by spaces, satisfies them all.
    if (matches.length > 1 && ctx.model.witness?.(field)) fromMatches.unshift(matches.map((l) => instance(l.pattern, 'text', ctx, 1)).join(' '));
    candidates.push(...fromMatches);
    for (const l of pos) candidates.push(...leafCandidates(l, pos, ctx, variant));
    // A regex (searched, unanchored) and patterns on one field: put a regex sample after or before the pattern text.
    const regexes = pos.filter((l): l is Extract<Leaf, { kind: 'regex' }> => l.kind === 'regex');
    // Several (searched) regexes on one field: one sample of each, on lines of their own.
    if (regexes.length > 1) {
      const per = regexes.map((r) => regexCandidates(r, variant));
      for (let k = 0; k < 3; k++) if (per.every((xs) => xs.length)) candidates.push(per.map((xs) => xs[k % xs.length]!).join('\n'));
    }
    if (regexes.length && matches.length) {
      const samples = regexes.flatMap((r) => regexCandidates(r, variant));
      const openEnd = matches.every((l) => normalizePattern(l.pattern).at(-1)?.kind === 'star');
      const openStart = matches.every((l) => normalizePattern(l.pattern)[0]?.kind === 'star');
      for (const m of fromMatches.slice(0, 2)) {
        for (const r of samples) {
          if (openEnd) candidates.push(`${m} ${r}`);
          if (openStart) candidates.push(`${r} ${m}`);
        }
      }
    }
  }
  for (const c of candidates) if (ok(c)) return c;
  // Conflicting requirements a single value cannot meet (`args : "a" and args : "b"`): one element each.
  if (pos.length > 1 && !pos.some((l) => l.kind === 'null')) {
    const elements: unknown[] = [];
    for (const l of pos) {
      const one = fieldValue(field, [l], neg, ctx, variant);
      if (one === FAIL || one === MISSING) return FAIL;
      elements.push(one);
    }
    if (ok(elements)) return elements;
  }
  return FAIL;
}

type MatchLeaf = Extract<Leaf, { kind: 'match' }>;

function leafCandidates(l: Leaf, pos: readonly Leaf[], ctx: SynthContext, variant: number): unknown[] {
  switch (l.kind) {
    case 'equals':
      return [l.value];
    case 'range':
      return rangeCandidates(pos.filter((x): x is Extract<Leaf, { kind: 'range' }> => x.kind === 'range'));
    case 'cidr':
      return cidrCandidates(l.network, ctx.faker);
    case 'regex':
      return regexCandidates(l, variant);
    default:
      return [];
  }
}

function rangeCandidates(ranges: readonly Extract<Leaf, { kind: 'range' }>[]): unknown[] {
  const numeric = ranges.every((r) => typeof r.value === 'number' || /^-?\d+(\.\d+)?$/.test(String(r.value)));
  const conv = (v: number | string): number | undefined => (numeric ? Number(v) : parseTimestamp(v));
  let lo = -Infinity;
  let hi = Infinity;
  for (const r of ranges) {
    const b = conv(r.value);
    if (b === undefined) return [];
    const step = numeric ? 1 : 1000;
    if (r.op === 'gt') lo = Math.max(lo, b + step);
    else if (r.op === 'gte') lo = Math.max(lo, b);
    else if (r.op === 'lt') hi = Math.min(hi, b - step);
    else hi = Math.min(hi, b);
  }
  if (lo > hi) return [];
  const pick = lo === -Infinity ? (hi === Infinity ? 1 : hi > 0 ? Math.min(hi, Math.max(0, Math.floor(hi / 2))) : hi) : hi === Infinity ? lo : Math.floor((lo + hi) / 2);
  const vals = [pick, lo, hi].filter((v) => Number.isFinite(v));
  return numeric ? vals : vals.map((v) => new Date(v).toISOString());
}

/** An address inside the network: a host address when there is room, else the base. */
export function addressIn(network: string, offset: bigint): string | undefined {
  let net;
  try {
    net = parseNetwork(network);
  } catch {
    return undefined;
  }
  const bits = net.family === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - net.prefix);
  const v = size > 2n ? net.base + 1n + (offset % (size - 2n)) : net.base;
  return formatIp(net.family, v);
}

export function formatIp(family: 4 | 6, v: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':');
}

function cidrCandidates(network: string, f: Faker): string[] {
  return [addressIn(network, BigInt(f.number.int({ min: 0, max: 200 }))), addressIn(network, 0n)].filter((x): x is string => x !== undefined);
}

function regexCandidates(l: Extract<Leaf, { kind: 'regex' }>, variant: number): string[] {
  // A pure length constraint (EQL `length(f) > N`): build it directly; sampling cannot reach long strings.
  const len = /^\^\[\\s\\S\]\{(\d+)(,?)(\d*)\}\$$/.exec(l.source);
  if (len) {
    const min = Number(len[1]);
    const n = len[2] ? Math.max(min, min + variant) : min;
    const max = len[3] ? Number(len[3]) : Infinity;
    const words = 'data payload value entry field record ';
    return [words.repeat(Math.ceil(Math.min(n, max) / words.length) + 1).slice(0, Math.min(n, max))];
  }
  // fast-check generates for case-sensitive regexes only: a string matching without `i` matches with it too.
  // Nor does it know `\b`: generate without it; the model checks every candidate anyway.
  const src = l.source.replace(/^\(\?[ims]+\)/, '').replace(/(?<!\\)((?:\\\\)*)\\b/g, '$1');
  for (const flags of [[...l.flags].filter((c) => 'ms'.includes(c)).join(''), '']) {
    try {
      return fc.sample(fc.stringMatching(new RegExp(`^(?:${src})$`, flags), { size: 'xsmall' }), { seed: 7 + variant, numRuns: 6 });
    } catch {
      // try the next flag set
    }
  }
  return [];
}

/** Filler for the three places a `*` can sit: before the first literal, between literals, after the last. */
function filler(kind: 'path' | 'command' | 'text', where: 'start' | 'mid' | 'end', next: string, prev: string, ctx: SynthContext, variant: number): string {
  if (variant === 1) return where === 'mid' ? '' : '';
  const f = ctx.faker;
  // The literals say which OS the path is from; else the rule's platform.
  const near = `${prev}${next}`;
  const win = near.includes('\\') ? true : near.includes('/') ? false : (ctx.os ?? (ctx.dialect === 'windows' ? 'windows' : 'unix')) === 'windows';
  const sep = /[\\/]/.exec(next)?.[0] ?? /[\\/]/.exec(prev)?.[0] ?? (win ? '\\' : '/');
  if (kind === 'path') {
    if (where === 'start') {
      if (/^[\\/]/.test(next)) return win ? f.helpers.arrayElement(['C:\\Windows\\System32', 'C:\\Users\\Public', `C:\\Users\\${f.internet.username()}\\AppData\\Local\\Temp`]) : f.helpers.arrayElement(['/usr/bin', '/tmp', '/opt/app']);
      return win ? f.helpers.arrayElement(['C:\\Windows\\System32\\', 'C:\\ProgramData\\']) : '/usr/bin/';
    }
    if (where === 'end') return /[\\/]$/.test(prev) ? f.helpers.arrayElement(['update.exe', 'setup.dll', 'report.txt']) : '';
    return /[\\/]$/.test(prev) || /^[\\/]/.test(next) ? f.word.noun() : `${sep}${f.word.noun()}${sep}`;
  }
  if (kind === 'command') {
    if (where === 'start') return win ? f.helpers.arrayElement(['"C:\\Windows\\System32\\cmd.exe" /c ', 'powershell.exe ', '"C:\\Windows\\explorer.exe" ']) : f.helpers.arrayElement(['/bin/sh -c ', 'sudo ', 'bash ']);
    if (where === 'end') return f.helpers.arrayElement(win ? [' /q', ' /s', ''] : [' --verbose', ' -f', '']);
    return ' ';
  }
  if (where === 'mid') return f.word.noun();
  return where === 'start' ? `${f.word.noun()} ` : ` ${f.word.noun()}`;
}

/** Text for a pattern, with each `*` filled and each `?` a letter. */
function instance(p: Pattern, kind: 'path' | 'command' | 'text', ctx: SynthContext, variant: number): string {
  const n = normalizePattern(p);
  let out = '';
  n.forEach((t, i) => {
    if (t.kind === 'text') out += t.text;
    else if (t.kind === 'one') out += 'a';
    else {
      const prev = n[i - 1]?.kind === 'text' ? (n[i - 1] as { text: string }).text : '';
      const next = n[i + 1]?.kind === 'text' ? (n[i + 1] as { text: string }).text : '';
      out += filler(kind, i === 0 ? 'start' : i === n.length - 1 ? 'end' : 'mid', next, prev, ctx, variant);
    }
  });
  return out;
}

/**
 * Strings meeting several patterns at once: the literal one if there is one;
 * else the longest prefix, the inner parts of every pattern and the longest
 * suffix, joined with filler — then each pattern's own instance.
 */
export function matchCandidates(leaves: readonly MatchLeaf[], kind: 'path' | 'command' | 'text', ctx: SynthContext, variant: number): string[] {
  const pats = leaves.map((l) => normalizePattern(l.pattern));
  const out: string[] = [];
  const literal = pats.find((p) => p.every((t) => t.kind === 'text'));
  if (literal) out.push(literal.map((t) => (t.kind === 'text' ? t.text : '')).join(''));
  const lead = (p: Pattern) => (p[0]?.kind === 'text' ? p[0].text : '');
  const trail = (p: Pattern) => (p.length > 1 && p.at(-1)?.kind === 'text' ? (p.at(-1) as { text: string }).text : '');
  const prefix = pats.map(lead).reduce((a, b) => (b.length > a.length ? b : a), '');
  const suffix = pats.map(trail).reduce((a, b) => (b.length > a.length ? b : a), '');
  const inner = pats.map((p) => {
    const body = p.slice(lead(p) ? 1 : 0, p.length - (trail(p) ? 1 : 0));
    return body.some((t) => t.kind !== 'star') ? instance(body.filter((t, i) => !(t.kind === 'star' && (i === 0 || i === body.length - 1))), kind, ctx, variant) : '';
  });
  const anyOpenStart = pats.every((p) => p[0]?.kind === 'star');
  const anyOpenEnd = pats.every((p) => p.at(-1)?.kind === 'star');
  const start = prefix || (anyOpenStart ? filler(kind, 'start', inner.find(Boolean) ?? suffix, '', ctx, variant) : '');
  const middle = inner.filter(Boolean).join(kind === 'command' ? ' ' : variant === 1 ? '' : ' ');
  const end = suffix || (anyOpenEnd ? filler(kind, 'end', '', middle || start, ctx, variant) : '');
  out.push(`${start}${middle}${end}`);
  for (const p of pats) out.push(instance(p, kind, ctx, variant));
  return out;
}

function applyFieldref(ev: Event, l: Extract<Leaf, { kind: 'fieldref' }>, want: boolean, ctx: SynthContext, fixed: ReadonlyMap<string, unknown>): Event | undefined {
  const holds = (e: Event | undefined): e is Event => e !== undefined && leafTruth(l, e, ctx.model) === (want ? 'T' : 'F');
  if (holds(ev)) return ev;
  // Both values are chosen for their other leaves and must not relate: lengthen one, its leaves re-checked by the caller.
  if (!want && fixed.has(l.field) && fixed.has(l.other)) {
    const other = readText(ev, l.other);
    if (other !== undefined) for (const v of [`${other}9`, `9${other}`]) {
      const e = setField(ev, l.other, v, ctx.style);
      if (holds(e)) return e;
    }
  }
  // The field's own value is already chosen for its other leaves: relate the other field to it instead.
  if (fixed.has(l.field) && !fixed.has(l.other)) {
    const mine = readText(ev, l.field);
    if (mine !== undefined) {
      // A value relates to itself in every position; a fresh token is in no realistic value.
      const other = want ? mine : `zq${ctx.faker.string.alphanumeric(8)}`;
      if (want || !mine.toLowerCase().includes(other.toLowerCase())) return setField(ev, l.other, other, ctx.style);
    }
  }
  let e: Event | undefined = ev;
  const otherVal = leafTruth({ kind: 'exists', field: l.other }, e, ctx.model) === 'T' ? undefined : realisticValue(ctx.faker, l.other, ctx.dialect);
  if (otherVal !== undefined) e = setField(e, l.other, String(otherVal), ctx.style);
  if (!e) return undefined;
  const other = readText(e, l.other);
  if (other === undefined) return undefined;
  const value = !want ? `${other}_x` : l.position === 'equals' ? other : l.position === 'contains' ? `x ${other} y` : l.position === 'startswith' ? `${other}_x` : `x_${other}`;
  return setField(e, l.field, value, ctx.style);
}

function readText(ev: Event, field: string): string | undefined {
  const v = fieldGetter(field)(ev).find((x) => x !== null);
  return scalarText(v);
}
