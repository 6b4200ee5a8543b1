/**
 * Answers of a rule that reads a few fields, remembered by those fields'
 * values. Over a stream of log events such a rule (`Image|endswith: …` with
 * its `ParentImage` filters) sees the same few hundred value combinations
 * again and again, and its answer is a function of them alone, so the rule
 * index asks the memo first. Only missing fields and single string values
 * make keys; anything else (a number, an array, an object) is evaluated every
 * time. A rule whose combinations rarely repeat turns its memo off.
 */
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { fieldGetter, type FieldGetter } from '../engines/common/fields.ts';
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

export class RuleMemo {
  private readonly reads: readonly FieldGetter[];
  private answers: Map<string, boolean> | undefined = new Map();
  private lookups = 0;
  private misses = 0;

  constructor(
    private readonly detector: Detector,
    fields: readonly string[],
  ) {
    this.reads = fields.map(fieldGetter);
  }

  /** Each field missing (`-`) or its one string value, length-prefixed so that no two combinations share a key. */
  private keyOf(event: Event): string | undefined {
    let key = '';
    for (const read of this.reads) {
      const vals = read(event);
      if (vals.length === 0) key += '-';
      else if (vals.length === 1 && typeof vals[0] === 'string') key += `${vals[0].length}:${vals[0]}`;
      else return undefined;
    }
    return key;
  }

  matches(event: Event): boolean {
    const answers = this.answers;
    if (answers === undefined) return this.detector.matches(event);
    const key = this.keyOf(event);
    if (key === undefined) return this.detector.matches(event);
    this.lookups++;
    const known = answers.get(key);
    if (known !== undefined) return known;
    this.misses++;
    const r = this.detector.matches(event);
    if (answers.size < LIMIT) answers.set(key, r);
    if (this.lookups >= TRIAL && this.misses * 2 > this.lookups) this.answers = undefined;
    return r;
  }
}
