/**
 * A prefilter for running thousands of rules over many events (cross-fire):
 * `buildRuleIndex(detectors).matching(event)` returns exactly the detectors
 * whose `matches(event)` is true, but calls `matches` only on the few that can.
 *
 * Events carry no log source, so the index reads each Sigma rule's logic: up to
 * four *needs* per rule (rule-needs.ts), each a set of atoms such as "EventID
 * is 4104", "Image ends with `\cmd.exe`", "CommandLine contains `-enc`" or
 * "ScriptBlockText is present". Atoms are hashed per field. An event is walked
 * once, as fieldGetter and leafValues see it (nested and literally dotted keys,
 * arrays flattened); each value's folded text is hashed once with a polynomial
 * hash, so every prefix, suffix and window costs O(1) and allocates nothing,
 * and a bit table turns almost every probe away before a map lookup. A rule is
 * a candidate when every one of its needs was hit; its own `matches` then
 * decides, so hash collisions cost time, never answers. Detectors the index
 * cannot read (other engines, correlations) and rules with nothing to prune on
 * (pure negations) are evaluated on every event.
 */
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { scalarText } from '../engines/common/fields.ts';
import { enterEvent, leaveEvent } from '../engines/sigma/event-scope.ts';
import { isSigmaEventDetector } from '../engines/sigma/index.ts';
import { numericOf } from '../engines/sigma/value-tests.ts';
import { ruleNeeds, type Atom, type Need } from './rule-needs.ts';
import { FieldAtoms, PathMemo, TextHash, gramChooser, type Sink } from './rule-index-atoms.ts';
import { EventKeyParts, RuleMemo, fieldsRead } from './rule-memo.ts';
import { FamilyIndex, byFamily } from './family-index.ts';

export interface RuleIndex {
  /** The detectors whose `matches(event)` is true, in the order they were given. */
  matching(event: Event): Detector[];
  /** How many detectors `matching` evaluates for this event (what the prefilter leaves). */
  candidateCount(event: Event): number;
  /** How many detectors are evaluated on every event (nothing to prune them on). */
  readonly unindexed: number;
}

/** leafValues' depth bound: keyword items never see deeper values. */
const MAX_DEPTH = 256;

class Index implements RuleIndex, Sink {
  private readonly fields = new Map<string, FieldAtoms>();
  /** Atoms on any leaf value (keyword searches). */
  private readonly keywords = new FieldAtoms();
  /** Every dotted prefix of an indexed or memo field name: paths below which field names are worth building. */
  private readonly parents = new Set<string>();
  private readonly text = new TextHash();
  /** Per path seen in events: its field's atoms and the memos of the text atoms its values hit. */
  private readonly paths = new Map<string, PathInfo>();
  private readonly unindexedLeaves: PathMemo;
  private readonly always: number[] = [];
  /** Per rule: its answers by field values, when it reads a few fields (rule-memo.ts). */
  private readonly memos: readonly (RuleMemo | undefined)[];
  private readonly keyParts = new EventKeyParts();
  /** Per rule: the needs hit so far in this event, when (stamp) that was, and the mask of all its needs. */
  private readonly hitMask: Uint8Array;
  private readonly hitStamp: Int32Array;
  private readonly fullMask: Uint8Array;
  private readonly found: number[] = [];
  private stamp = 0;

  constructor(private readonly detectors: readonly Detector[]) {
    const n = detectors.length;
    this.hitMask = new Uint8Array(n);
    this.hitStamp = new Int32Array(n);
    this.fullMask = new Uint8Array(n);
    const needs = detectors.map((d) => (isSigmaEventDetector(d) ? ruleNeeds(d.constraints().logic) : []));
    this.memos = detectors.map((d) => {
      const fields = isSigmaEventDetector(d) ? fieldsRead(d.constraints().logic) : undefined;
      return fields === undefined ? undefined : new RuleMemo(d, fields, this.keyParts);
    });
    const gramOf = gramChooser(needs.flat(2).flatMap((a) => (a.kind === 'contains' ? [{ field: a.field, key: a.key }] : [])));
    needs.forEach((list, rule) => this.addRule(rule, list, gramOf));
    this.keywords.finish();
    this.unindexedLeaves = new PathMemo(undefined, this.keywords);
    for (const f of this.fields.values()) f.finish();
    for (const name of [...this.fields.keys(), ...this.keyParts.fields()]) for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) this.parents.add(name.slice(0, i));
  }

  get unindexed(): number {
    return this.always.length;
  }

  private atomsOf(field: string | null): FieldAtoms {
    if (field === null) return this.keywords;
    let f = this.fields.get(field);
    if (!f) this.fields.set(field, (f = new FieldAtoms()));
    return f;
  }

  private addRule(rule: number, needs: readonly Need[], gramOf: (field: string | null, literal: string) => string): void {
    if (needs.length === 0) return void this.always.push(rule);
    if (needs.some((n) => n.length === 0)) return; // never matches
    this.fullMask[rule] = (1 << needs.length) - 1;
    needs.forEach((need, k) => {
      for (const atom of need) this.addAtom(atom, rule * 4 + k, gramOf);
    });
  }

  private addAtom(atom: Atom, entry: number, gramOf: (field: string | null, literal: string) => string): void {
    const f = this.atomsOf(atom.field);
    if (atom.kind === 'contains') f.add('contains', gramOf(atom.field, atom.key), entry);
    else if (atom.kind === 'num') f.addNumber(atom.value, entry);
    else if (atom.kind === 'present' || atom.kind === 'nonascii') f.add(atom.kind, '', entry);
    else f.add(atom.kind, atom.key, entry);
  }

  matching(event: Event): Detector[] {
    this.collect(event);
    const out: number[] = [];
    // The candidates share the event's field values and their folded text.
    const outer = enterEvent(event);
    try {
      for (const r of this.found) if (this.decide(r, event)) out.push(r);
      for (const r of this.always) if (this.decide(r, event)) out.push(r);
    } finally {
      leaveEvent(outer);
    }
    if (out.length > 1) out.sort((a, b) => a - b);
    return out.map((r) => this.detectors[r]!);
  }

  /** `matches`, through the rule's memo when it has one. */
  private decide(r: number, event: Event): boolean {
    const memo = this.memos[r];
    return memo !== undefined ? memo.matches(event) : this.detectors[r]!.matches(event);
  }

  candidateCount(event: Event): number {
    this.collect(event);
    return this.found.length + this.always.length;
  }

  /** Fill `found` with the rules all of whose needs this event hits. */
  private collect(event: Event): void {
    this.found.length = 0;
    if (++this.stamp === 0x7fffffff) {
      this.stamp = 1;
      this.hitStamp.fill(0);
      for (const f of this.fields.values()) f.seen = 0;
    }
    // The walk also fills the memos' key parts (each field's values, as fieldGetter finds them).
    this.keyParts.begin();
    this.visit(event, '', 1);
  }

  /**
   * Each key of an object: its path is the keys joined with dots, whether nested or
   * literally dotted (fieldGetter); `path` undefined below paths no indexed field starts with.
   */
  private visit(node: object, path: string | undefined, depth: number): void {
    // for-in yields own keys only when nothing is inherited (JSON objects); else check each.
    const proto = Object.getPrototypeOf(node) as unknown;
    const plain = proto === Object.prototype || proto === null;
    for (const k in node) {
      if (!plain && !Object.prototype.hasOwnProperty.call(node, k)) continue;
      const p = path === undefined ? undefined : path === '' ? k : `${path}.${k}`;
      this.value(p === undefined ? undefined : this.pathInfo(p), (node as Record<string, unknown>)[k], depth);
    }
  }

  /** What the index knows of a path, made on first sight (one map lookup per key of an event). */
  private pathInfo(path: string): PathInfo {
    let info = this.paths.get(path);
    if (!info) this.paths.set(path, (info = new PathInfo(path, this.fields.get(path), this.parents.has(path), this.keyParts.find(path) ?? -1)));
    return info;
  }

  /** A value at `info`'s path, `depth` levels below the event (arrays count, as in leafValues). */
  private value(info: PathInfo | undefined, v: unknown, depth: number): void {
    if (Array.isArray(v)) {
      for (const x of v) this.value(info, x, depth + 1);
      return;
    }
    if (info !== undefined && info.part >= 0) this.keyParts.see(info.part, v);
    const f = info?.field;
    if (typeof v === 'object' && v !== null) {
      if (f) this.present(f);
      const below = info !== undefined && info.parent ? info.path : undefined;
      if (below !== undefined || this.keywords.text) this.visit(v, below, depth + 1);
      return;
    }
    const keyword = depth <= MAX_DEPTH && this.keywords.text;
    if (f) {
      this.present(f);
      if (f.numbers !== undefined && typeof v !== 'boolean') {
        const n = numericOf(v);
        if (n !== undefined) this.take(f.numbers.get(n));
      }
    }
    if (!keyword && !f?.text) return;
    const t = typeof v === 'string' ? v : scalarText(v);
    if (t === undefined) return;
    this.take(this.memoOf(info, keyword).hits(t, this.text));
  }

  private memoOf(info: PathInfo | undefined, keyword: boolean): PathMemo {
    if (info === undefined) return this.unindexedLeaves;
    // Per path and per whether keywords apply (depth), which fixes the atoms consulted.
    const f = info.field?.text ? info.field : undefined;
    if (keyword) return (info.memo ??= new PathMemo(f, this.keywords));
    return (info.deepMemo ??= new PathMemo(f, undefined));
  }

  private present(f: FieldAtoms): void {
    if (f.seen === this.stamp) return;
    f.seen = this.stamp;
    this.take(f.present);
  }

  take(entries: readonly number[] | undefined): void {
    if (entries === undefined) return;
    for (const e of entries) {
      const r = e >> 2;
      if (this.hitStamp[r] !== this.stamp) {
        this.hitStamp[r] = this.stamp;
        this.hitMask[r] = 0;
      }
      const m = this.hitMask[r]!;
      const next = m | (1 << (e & 3));
      if (next === m) continue;
      this.hitMask[r] = next;
      if (next === this.fullMask[r]) this.found.push(r);
    }
  }
}

class PathInfo {
  memo: PathMemo | undefined;
  /** Below MAX_DEPTH, where keyword atoms no longer apply. */
  deepMemo: PathMemo | undefined;
  constructor(
    readonly path: string,
    readonly field: FieldAtoms | undefined,
    /** Some indexed or memo field lies below this path. */
    readonly parent: boolean,
    /** The memo key part this path's values fill (EventKeyParts id), or -1. */
    readonly part: number,
  ) {}
}

/**
 * Index a set of detectors of any engine for repeated single-event evaluation:
 * Sigma rules here, rules with a prefilter family (EQL, KQL…) through their
 * engine's index (family-index.ts).
 * @example buildRuleIndex(detectors).matching({ EventID: 1, Image: 'C:\\Windows\\System32\\cmd.exe' })
 */
export function buildRuleIndex(detectors: readonly Detector[]): RuleIndex {
  const { rest, restPositions, families } = byFamily(detectors);
  if (families.size === 0) return new Index(detectors);
  return new FamilyIndex(new Index(rest), restPositions, families);
}
