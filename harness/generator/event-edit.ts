import type { Event } from '../core/event.ts';
import { isRecord } from '../core/event.ts';

/**
 * Copy-on-write edits of events by field name, resolving names exactly as
 * the shared fieldGetter does (nested objects *and* literal dotted keys, every
 * split of the name; arrays multi-valued), so an edit reaches every place an
 * engine would read. Input events are never mutated.
 */
export type Location = readonly (string | number)[];

type Json = unknown;
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
/** Own-property assignment: a `__proto__` key from JSON stays data, never a prototype change. */
const put = (o: Record<string, unknown>, k: string, v: unknown): void => {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
};

/** Where a field's nodes live (a node may be an array: its elements are the values). */
export function locate(event: Event, field: string): Location[] {
  const parts = field.split('.');
  const out: Location[] = [];
  const walk = (node: Json, i: number, at: (string | number)[]): void => {
    if (i === parts.length) {
      out.push(at);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((el, k) => walk(el, i, [...at, k]));
      return;
    }
    if (!isRecord(node)) return;
    let key = '';
    for (let j = i; j < parts.length; j++) {
      key = j === i ? parts[j]! : `${key}.${parts[j]!}`;
      if (hasOwn(node, key)) walk(node[key], j + 1, [...at, key]);
    }
  };
  walk(event, 0, []);
  return out;
}

export function getAt(node: Json, loc: Location): Json {
  let n = node;
  for (const k of loc) n = (n as Record<string | number, unknown>)[k as string];
  return n;
}

export const REMOVE: unique symbol = Symbol('remove');
export type Edit = (value: Json) => Json | typeof REMOVE;

function updateAt(node: Json, loc: Location, i: number, fn: Edit): Json | typeof REMOVE {
  if (i === loc.length) return fn(node);
  const k = loc[i]!;
  if (Array.isArray(node)) {
    const next = updateAt(node[k as number], loc, i + 1, fn);
    const copy = [...node];
    if (next === REMOVE) copy.splice(k as number, 1);
    else copy[k as number] = next;
    return copy;
  }
  const rec = node as Record<string, unknown>;
  const next = updateAt(rec[k as string], loc, i + 1, fn);
  const copy: Record<string, unknown> = { ...rec };
  if (next === REMOVE) delete copy[k as string];
  else put(copy, k as string, next);
  return copy;
}

/** Apply `fn` to each value of the field (each element of an array node); `REMOVE` drops it. */
export function mapValues(event: Event, field: string, fn: Edit): Event {
  // Deepest / last locations first, so array indices of earlier ones stay valid.
  const locs = locate(event, field).reverse();
  let out: Json = event;
  for (const loc of locs) {
    out = updateAt(out, loc, 0, (node) => {
      if (!Array.isArray(node)) return fn(node);
      const mapped = node.map(fn).filter((v) => v !== REMOVE);
      return mapped;
    });
  }
  return out as Event;
}

/** Replace each node of the field as a whole (an array node included). */
export function replaceNodes(event: Event, field: string, fn: Edit): Event {
  let out: Json = event;
  for (const loc of locate(event, field).reverse()) out = updateAt(out, loc, 0, fn);
  return out as Event;
}

export function removeField(event: Event, field: string): Event {
  return replaceNodes(event, field, () => REMOVE);
}

/**
 * Set a field: replace it where it resolves; otherwise create it, nested
 * (`style: 'nested'`, merging into existing objects) or as one dotted key.
 * Undefined when the name runs into a scalar (`a` is a string, `a.b` wanted).
 */
export function setField(event: Event, field: string, value: Json, style: 'nested' | 'dotted' = 'nested'): Event | undefined {
  if (locate(event, field).length > 0) return replaceNodes(event, field, () => value);
  if (style === 'dotted' || !field.includes('.')) {
    if (hasOwn(event, field)) return undefined;
    return { ...event, [field]: value };
  }
  const parts = field.split('.');
  const build = (node: Record<string, unknown>, i: number): Record<string, unknown> | undefined => {
    const k = parts[i]!;
    if (i === parts.length - 1) return hasOwn(node, k) ? undefined : { ...node, [k]: value };
    const child = hasOwn(node, k) ? node[k] : {};
    if (!isRecord(child)) return undefined;
    const next = build(child, i + 1);
    return next && { ...node, [k]: next };
  };
  return build({ ...event }, 0);
}

export interface ScalarPath {
  /** Dotted field name. */
  readonly field: string;
  readonly value: Json;
}

/** Fields with scalar values or arrays of scalars, as dotted names (arrays of objects are not entered). */
export function scalarFields(event: Event): ScalarPath[] {
  const out: ScalarPath[] = [];
  const walk = (node: Record<string, unknown>, prefix: string): void => {
    for (const k of Object.keys(node)) {
      const v = node[k];
      const name = prefix ? `${prefix}.${k}` : k;
      if (isRecord(v)) walk(v, name);
      else if (Array.isArray(v)) {
        if (v.every((x) => !isRecord(x) && !Array.isArray(x))) out.push({ field: name, value: v });
      } else out.push({ field: name, value: v });
    }
  };
  walk(event as Record<string, unknown>, '');
  return out;
}

/** Every dotted name under which the event holds something (objects included), for collision checks. */
export function allPaths(event: Event): string[] {
  const out: string[] = [];
  const walk = (node: Json, prefix: string): void => {
    if (Array.isArray(node)) {
      for (const el of node) walk(el, prefix);
      return;
    }
    if (!isRecord(node)) return;
    for (const k of Object.keys(node)) {
      const name = prefix ? `${prefix}.${k}` : k;
      out.push(name);
      walk(node[k], name);
    }
  };
  walk(event, '');
  return out;
}

/** `{"a":{"b":1}}` → `{"a.b":1}`; arrays are kept as they are. Undefined on a key collision. */
export function flattenKeys(event: Event): Event | undefined {
  const out: Record<string, unknown> = {};
  let clash = false;
  const walk = (node: Record<string, unknown>, prefix: string): void => {
    for (const k of Object.keys(node)) {
      const v = node[k];
      const name = prefix ? `${prefix}.${k}` : k;
      if (isRecord(v) && Object.keys(v).length > 0) walk(v, name);
      else if (hasOwn(out, name)) clash = true;
      else put(out, name, v);
    }
  };
  walk(event as Record<string, unknown>, '');
  return clash ? undefined : out;
}

/** `{"a.b":1}` → `{"a":{"b":1}}`; arrays are kept. Undefined on a collision or an empty name segment. */
export function nestKeys(event: Event): Event | undefined {
  const flat = flattenKeys(event);
  if (!flat) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(flat)) {
    const parts = name.split('.');
    if (parts.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) return undefined;
    let node = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const k = parts[i]!;
      if (!hasOwn(node, k)) node[k] = {};
      const next = node[k];
      if (!isRecord(next)) return undefined;
      node = next;
    }
    const last = parts[parts.length - 1]!;
    if (hasOwn(node, last)) return undefined;
    node[last] = v;
  }
  return out;
}

/** Does the event use any nested object (besides arrays of objects)? */
export function hasNestedObjects(event: Event): boolean {
  return Object.values(event).some((v) => isRecord(v));
}

export function hasDottedKeys(event: Event): boolean {
  const walk = (node: Record<string, unknown>): boolean => Object.keys(node).some((k) => k.includes('.') || (isRecord(node[k]) && walk(node[k] as Record<string, unknown>)));
  return walk(event as Record<string, unknown>);
}
