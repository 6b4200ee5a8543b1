/**
 * Answers of a rule that reads a single field, remembered by that field's
 * value. Over a stream of log events such a rule (`Image|endswith: …` with
 * its filters) sees the same few hundred values again and again, and its
 * answer is a function of that value alone, so the rule index asks the memo
 * first. Only exact string values are keys; anything else (a number, an
 * array, an object) is evaluated every time. A rule whose values rarely
 * repeat turns its memo off.
 */
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { fieldGetter, type FieldGetter } from '../engines/common/fields.ts';
import { leavesOf, type Predicate } from '../engines/common/predicate.ts';

/** Judged after this many lookups; at most this many answers kept. */
const TRIAL = 1000;
const LIMIT = 20_000;

/**
 * The one field a rule's logic reads, if it reads exactly one and nothing
 * else: no keyword (every leaf value), no field reference (a second field),
 * nothing opaque (the tree would not say what it reads).
 */
export function soleField(logic: Predicate): string | undefined {
  let field: string | undefined;
  for (const l of leavesOf(logic)) {
    if (l.kind === 'opaque' || l.kind === 'fieldref' || l.field === null) return undefined;
    if (field !== undefined && l.field !== field) return undefined;
    field = l.field;
  }
  return field;
}

export class RuleMemo {
  private readonly read: FieldGetter;
  private answers: Map<string, boolean> | undefined = new Map();
  /** The answer when the field is missing (constant for a rule that reads nothing else). */
  private whenMissing: boolean | undefined;
  private lookups = 0;
  private misses = 0;

  constructor(
    private readonly detector: Detector,
    field: string,
  ) {
    this.read = fieldGetter(field);
  }

  matches(event: Event): boolean {
    const answers = this.answers;
    if (answers === undefined) return this.detector.matches(event);
    const vals = this.read(event);
    if (vals.length === 0) return (this.whenMissing ??= this.detector.matches(event));
    const v = vals[0];
    if (vals.length !== 1 || typeof v !== 'string') return this.detector.matches(event);
    this.lookups++;
    const known = answers.get(v);
    if (known !== undefined) return known;
    this.misses++;
    const r = this.detector.matches(event);
    if (answers.size < LIMIT) answers.set(v, r);
    if (this.lookups >= TRIAL && this.misses * 2 > this.lookups) this.answers = undefined;
    return r;
  }
}
