/**
 * Field values shared by every Sigma rule evaluated on one event. A rule index
 * runs many rules on the same event, and each of their items would otherwise
 * resolve its field and case-fold its text again (a command line is folded
 * some twenty times per event over the SigmaHQ corpus).
 *
 * A caller opens a scope around the evaluations of one event
 * (`enterEvent` … `leaveEvent`, or `withEvent`). Inside it, a field's values and
 * their folded text are computed once for that event; outside it, or for any
 * other event, every read goes straight to the event. Nothing outlives the
 * scope, so an event edited in place between two scopes is read afresh.
 */
import type { Event } from '../../core/event.ts';
import { leafValues, scalarText, type FieldGetter } from '../common/fields.ts';

let current: Event | undefined;
/** Changes whenever the scope does: a cached value is current only when stamped with it. */
let generation = 0;

/** Start evaluating `event`; returns the scope to restore with `leaveEvent`. */
export function enterEvent(event: Event): Event | undefined {
  const outer = current;
  current = event;
  generation++;
  return outer;
}

export function leaveEvent(outer: Event | undefined): void {
  current = outer;
  generation++;
}

/** `fn()` with `event`'s field values shared by every Sigma rule it evaluates. */
export function withEvent<T>(event: Event, fn: () => T): T {
  const outer = enterEvent(event);
  try {
    return fn();
  } finally {
    leaveEvent(outer);
  }
}

/** One field's values (or, for keywords, every leaf value), cached for the event in scope. */
export class FieldValues {
  private valuesAt = -1;
  private values: readonly unknown[] = [];
  private foldedAt = -1;
  private folded: (string | undefined)[] = [];

  /** `getter` undefined: every leaf value of the event (keyword search). */
  constructor(private readonly getter: FieldGetter | undefined) {}

  private read(e: Event): readonly unknown[] {
    return this.getter ? this.getter(e) : leafValues(e);
  }

  of(e: Event): readonly unknown[] {
    if (e !== current) return this.read(e);
    if (this.valuesAt !== generation) {
      this.values = this.read(e);
      this.valuesAt = generation;
    }
    return this.values;
  }

  /**
   * The case-folded text of each of `vals` (undefined where a value has no text);
   * `vals` must be what `of(e)` returned. Undefined outside the event's scope:
   * nothing would share the folding, so callers fold what they need, when they need it.
   */
  foldedOf(e: Event, vals: readonly unknown[]): readonly (string | undefined)[] | undefined {
    if (e !== current) return undefined;
    if (this.foldedAt !== generation) {
      this.folded = foldAll(vals, this.folded);
      this.foldedAt = generation;
    }
    return this.folded;
  }
}

function foldAll(vals: readonly unknown[], out: (string | undefined)[]): (string | undefined)[] {
  out.length = vals.length;
  for (let i = 0; i < vals.length; i++) {
    const x = vals[i];
    const t = typeof x === 'string' ? x : scalarText(x);
    out[i] = t === undefined ? undefined : t.toLowerCase();
  }
  return out;
}
