import type { Event } from '../../core/event.ts';
import { fieldAccess } from '../common/field-access.ts';
import { FieldIndex, multiValues, type PreparedEvent } from '../common/prepared-event.ts';
import type { IndexMapping, MappedField } from '../../mapping/index.ts';
import { nullValueRead, planTypedField } from './typed-fields.ts';

/**
 * Field reads for EQL: `null` when the field is missing (or null, or an empty
 * array), the value itself when single-valued, and an array of values (nulls
 * removed, nested arrays flattened) when multi-valued.
 *
 * Where the values are found (nested objects, literal dotted keys at any
 * level, arrays on the way) is the shared resolution, read one of two ways:
 * - direct (`fieldRead`): common/field-access.ts, a pure function of the
 *   event, nothing remembered;
 * - through an `EventFrame` (`FrameFields`), where each field's EQL value
 *   (and its lower-cased form) is computed once per evaluation, shared by
 *   every leaf and every query reading it; in `prepared` mode (query sets)
 *   the values come from common/prepared-event.ts, which enumerates each
 *   object on a field's path at most once, in `direct` mode (one query)
 *   from `fieldRead`. Property loads on
 *   thousands of differently shaped events are megamorphic and dominate
 *   evaluation, so this is the hot path. A frame is reset at the start of
 *   every evaluation: nothing survives from one call to the next, so an event
 *   edited in place between calls is read afresh.
 * Both give the same values; when several spellings of a field hold values,
 * their order may differ (field-access.test.ts).
 */
export type FieldRead = (event: unknown) => unknown;

/** Where compiled expressions get field values from (an event, or a frame over one). */
export interface FieldSource {
  read(name: string): FieldRead;
  /** The value with strings lower-cased (for case-insensitive tests). */
  readLower(name: string): FieldRead;
  /** The field's mapping, when the source reads fields typed by one (typed-fields.ts). */
  mappingOf?(name: string): MappedField | undefined;
}

/** EQL's value of a field from all its values: null, the one value, or the non-null values. */
function collapse(values: readonly unknown[]): unknown {
  let out: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    if (values[i] == null) out ??= values.slice(0, i);
    else if (out) out.push(values[i]);
  }
  const vs = out ?? values;
  if (vs.length === 0) return null;
  if (vs.length === 1) return vs[0];
  return vs;
}

const fold = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : Array.isArray(v) ? v.map(fold) : v);

// ---- direct reads --------------------------------------------------------------

const readers = new Map<string, FieldRead>();

/**
 * The reader of a field, straight from the event: `collapse` of its values,
 * gathered by common/field-access.ts without building an array per read.
 */
export function fieldRead(name: string): FieldRead {
  let r = readers.get(name);
  if (r) return r;
  const access = fieldAccess(name);
  // The values of the read in progress (reads never nest: `take` calls no reader).
  let first: unknown = null;
  let all: unknown[] | null = null;
  const take = (v: unknown): boolean => {
    if (v === null || v === undefined) return false;
    if (first === null) first = v;
    else (all ??= [first]).push(v);
    return false;
  };
  r = (e) => {
    access.any(e, take);
    const value = all ?? first;
    first = null;
    all = null;
    return value;
  };
  readers.set(name, r);
  return r;
}

/** The field's value with strings lower-cased. */
export function fieldReadLower(name: string): FieldRead {
  const read = fieldRead(name);
  return (e) => fold(read(e));
}

export const DIRECT_FIELDS: FieldSource = { read: fieldRead, readLower: fieldReadLower };

/** Direct reads typed by `mapping` (typed-fields.ts); DIRECT_FIELDS without one. */
export function directFields(mapping: IndexMapping | undefined): FieldSource {
  if (!mapping) return DIRECT_FIELDS;
  const read = (name: string): FieldRead => {
    const plan = planTypedField(mapping, name);
    if (!plan) return fieldRead(name);
    if (plan.nullValue !== undefined) return nullValueRead(plan);
    const raw = fieldRead(plan.path);
    const convert = plan.convert;
    return convert ? (e) => convert(raw(e)) : raw;
  };
  return {
    read,
    readLower: (name) => {
      const r = read(name);
      return (e) => fold(r(e));
    },
    mappingOf: (name) => mapping.field(name),
  };
}

// ---- reads through a frame ---------------------------------------------------

const EMPTY_INDEX = new FieldIndex();

/**
 * One event under evaluation: the event prepared for its fields' index, and
 * the EQL values computed from it so far. A slot's value is current when its
 * stamp equals `gen`; `reset` starts a new generation, which forgets every
 * value at once. Only FrameFields reads and writes the slots.
 */
export class EventFrame {
  event: unknown = undefined;
  /** @internal */ prepared: PreparedEvent;
  /** @internal */ gen = 0;
  /** @internal */ readonly stamp: Int32Array;
  /** @internal */ readonly vals: unknown[];

  constructor(
    /** null: fields are read directly, nothing is prepared. */
    private readonly index: FieldIndex | null,
    size: number,
  ) {
    this.prepared = EMPTY_INDEX.prepare({});
    this.stamp = new Int32Array(size);
    this.vals = new Array<unknown>(size).fill(null);
  }

  /** Start evaluating `event`: no value read before is used again. */
  reset(event: Event): this {
    this.event = event;
    if (this.index !== null) this.prepared = this.index.prepareAgain(this.prepared, event);
    if (++this.gen === 0x7fffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
    return this;
  }
}

/**
 * Field readers over an `EventFrame`. Compile everything first, then make
 * frames: a frame is sized for the fields registered so far.
 */
export class FrameFields implements FieldSource {
  /** The paths prepared events resolve (prepared mode only). */
  private readonly index: FieldIndex | null;
  private size = 0;
  private sealed = false;
  private readonly fields = new Map<string, FieldRead>();
  private readonly lowers = new Map<string, FieldRead>();

  /**
   * `prepared`: objects are enumerated once per event (many queries over one
   * event, which together read most of it); `direct`: each field read on its
   * own (one query reads a few fields: enumerating objects would cost more).
   */
  constructor(
    mode: 'prepared' | 'direct' = 'prepared',
    /** Fields are read as this mapping indexes them (typed-fields.ts); none: as the values come. */
    private readonly mapping?: IndexMapping,
  ) {
    this.index = mode === 'prepared' ? new FieldIndex() : null;
  }

  mappingOf(name: string): MappedField | undefined {
    return this.mapping?.field(name);
  }

  /** A value slot in every frame made later. */
  private newSlot(): number {
    if (this.sealed) throw new Error('FrameFields: a field was registered after a frame was made');
    return this.size++;
  }

  /** `raw`, computed at most once per evaluation. */
  private cached(raw: (f: EventFrame) => unknown): FieldRead {
    const s = this.newSlot();
    return (x) => {
      const f = x as EventFrame;
      if (f.stamp[s] === f.gen) return f.vals[s];
      const v = raw(f);
      f.vals[s] = v;
      f.stamp[s] = f.gen;
      return v;
    };
  }

  read(name: string): FieldRead {
    let r = this.fields.get(name);
    if (r) return r;
    const plan = planTypedField(this.mapping, name);
    if (plan) {
      const convert = plan.convert;
      if (plan.nullValue !== undefined) {
        const nv = nullValueRead(plan);
        r = this.cached((f) => nv(f.event));
      } else {
        const raw = this.untypedRead(plan.path);
        r = convert ? this.cached((f) => convert(raw(f))) : raw;
      }
    } else r = this.untypedRead(name);
    this.fields.set(name, r);
    return r;
  }

  /** Reads of a document path, as the values come. */
  private readonly untyped = new Map<string, FieldRead>();

  private untypedRead(name: string): FieldRead {
    let r = this.untyped.get(name);
    if (r) return r;
    const direct = fieldRead(name);
    const slot = this.index?.slotOf(name);
    if (slot === undefined) {
      // Direct mode, or the index is full.
      r = this.cached((f) => direct(f.event));
    } else {
      const s = this.newSlot();
      const at = slot.slot;
      r = (x) => {
        const f = x as EventFrame;
        if (f.stamp[s] === f.gen) return f.vals[s];
        const pe = f.prepared;
        let v: unknown;
        // An event the index does not prepare (not an object): read directly.
        if (at >= pe.size) v = direct(f.event);
        else {
          const stored = slot.values(pe);
          const many = multiValues(stored);
          v = stored === undefined ? null : many === undefined ? stored : collapse(many);
        }
        f.vals[s] = v;
        f.stamp[s] = f.gen;
        return v;
      };
    }
    this.untyped.set(name, r);
    return r;
  }

  readLower(name: string): FieldRead {
    let r = this.lowers.get(name);
    if (!r) {
      const read = this.read(name);
      this.lowers.set(name, (r = this.cached((f) => fold(read(f)))));
    }
    return r;
  }

  /** A frame for evaluating the queries compiled against these fields. */
  frame(): EventFrame {
    this.sealed = true;
    return new EventFrame(this.index, this.size);
  }
}
