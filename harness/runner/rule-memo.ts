/**
 * Answers of a rule that reads a few fields, remembered by those fields'
 * values. Over a stream of log events such a rule (`Image|endswith: …` with
 * its `ParentImage` filters) sees the same few hundred value combinations
 * again and again, and its answer is a function of them alone, so the rule
 * index asks the memo first. A field's key is its one string value as
 * `fieldGetter` finds it (so `['x']` keys as `x`), or MISSING when it has no
 * value (`[]` too); anything else (a number, several values, an object, null)
 * is evaluated every time. A rule whose combinations rarely repeat turns its
 * memo off.
 */
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { leavesOf, type Predicate } from '../engines/common/predicate.ts';

/** Judged after this many lookups; at most this many answers kept per rule. */
const TRIAL = 1000;
const LIMIT = 20_000;
/** Rules reading more fields than this rarely repeat a combination. */
export const MAX_FIELDS = 5;

/**
 * The fields a rule's logic reads, if they are few and nothing else is read:
 * no keyword (every leaf value), no field reference (its other field is not a
 * leaf's field), nothing opaque (the tree would not say what it reads).
 */
export function fieldsRead(logic: Predicate): string[] | undefined {
  const fields = new Set<string>();
  for (const l of leavesOf(logic)) {
    if (l.kind === 'opaque' || l.kind === 'fieldref' || l.field === null) return undefined;
    fields.add(l.field);
  }
  return fields.size > 0 && fields.size <= MAX_FIELDS ? [...fields] : undefined;
}

/** A field's value as a memo key: its one string value, MISSING, or undefined (not memoizable). */
const MISSING = Symbol('missing');
type KeyPart = string | typeof MISSING;

/**
 * The key parts of the event being evaluated, per field, shared by every memo that uses the
 * field (many rules read Image, ParentImage, CommandLine…). Nothing is read here: the walker
 * that visits the event (the rule index's, which reads every key once anyway) calls `begin`,
 * then `see` once for each value `fieldGetter(field)` would return, arrays flattened. A part is
 * the field's one string value, MISSING when no value was seen, undefined otherwise.
 */
export class EventKeyParts {
  private readonly ids = new Map<string, number>();
  private parts: (KeyPart | undefined)[] = [];
  private stamps = new Int32Array(0);
  private stamp = 0;

  /** The id of a field's part (registered on first use). */
  idOf(field: string): number {
    let id = this.ids.get(field);
    if (id === undefined) {
      this.ids.set(field, (id = this.parts.length));
      this.parts.push(undefined);
      const stamps = new Int32Array(this.parts.length);
      stamps.set(this.stamps);
      this.stamps = stamps;
    }
    return id;
  }

  /** The part's id of a field, if some memo uses it. */
  find(field: string): number | undefined {
    return this.ids.get(field);
  }

  /** The fields some memo uses. */
  fields(): IterableIterator<string> {
    return this.ids.keys();
  }

  /** A new event: every part MISSING until seen. */
  begin(): void {
    if (++this.stamp === 0x7fffffff) {
      this.stamp = 1;
      this.stamps.fill(0);
    }
  }

  /** One value of field `id` in this event. */
  see(id: number, v: unknown): void {
    if (this.stamps[id] === this.stamp) this.parts[id] = undefined;
    else {
      this.stamps[id] = this.stamp;
      this.parts[id] = typeof v === 'string' ? v : undefined;
    }
  }

  /** The part of field `id` in the event begun last. */
  part(id: number): KeyPart | undefined {
    return this.stamps[id] === this.stamp ? this.parts[id] : MISSING;
  }
}

/**
 * Answers by value combination, as a trie of maps, one level per field: keys are the event's own
 * value strings (their hashes are cached in the strings), never a string built per lookup.
 */
type Trie = Map<KeyPart, Trie | boolean>;

export class RuleMemo {
  private readonly ids: readonly number[];
  private readonly parts: KeyPart[];
  private answers: Trie | undefined = new Map();
  private size = 0;
  private lookups = 0;
  private misses = 0;

  constructor(
    private readonly detector: Detector,
    fields: readonly string[],
    /** Shared by the memos of one index; the caller fills them for each event. */
    private readonly keyParts: EventKeyParts,
  ) {
    this.ids = fields.map((f) => keyParts.idOf(f));
    this.parts = fields.map((): KeyPart => MISSING);
  }

  /** The rule's answer for the event begun on the key parts. */
  matches(event: Event): boolean {
    let node = this.answers;
    if (node === undefined) return this.detector.matches(event);
    const last = this.ids.length - 1;
    // Reused: nothing a detector does reaches this memo again before the answer is stored.
    const parts = this.parts;
    for (let i = 0; i <= last; i++) {
      const part = this.keyParts.part(this.ids[i]!);
      if (part === undefined) return this.detector.matches(event);
      parts[i] = part;
    }
    this.lookups++;
    for (let i = 0; i < last && node !== undefined; i++) node = node.get(parts[i]!) as Trie | undefined;
    const known = node?.get(parts[last]!) as boolean | undefined;
    if (known !== undefined) return known;
    this.misses++;
    const r = this.detector.matches(event);
    if (this.size < LIMIT) this.remember(parts, r);
    if (this.lookups >= TRIAL && this.misses * 2 > this.lookups) this.answers = undefined;
    return r;
  }

  private remember(parts: readonly KeyPart[], answer: boolean): void {
    let node = this.answers!;
    for (let i = 0; i < parts.length - 1; i++) {
      let next = node.get(parts[i]!) as Trie | undefined;
      if (next === undefined) node.set(parts[i]!, (next = new Map()));
      node = next;
    }
    node.set(parts[parts.length - 1]!, answer);
    this.size++;
  }
}
