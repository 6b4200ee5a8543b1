/**
 * Evaluation fuzzing: hostile events (wrong types, huge strings, deep nesting,
 * arrays where scalars are expected, prototype-pollution keys) against every
 * shipped rule. No exception, no hang, no mutation of the input: events are
 * deep-frozen, so any write throws, and compared before / after.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Event } from '../core/event.ts';
import { loadProject } from '../project/load-project.ts';

/** It walks every shipped rule with every engine (about 40 s on the idle 2-core machine): room for a machine running at half speed. */
const HEAVY_TIMEOUT = 180_000;

const RUNS = Number(process.env.RULE_HARNESS_FUZZ_EVENTS ?? 100);
const seed = Number(process.env.RULE_HARNESS_SEED ?? 20261123);

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Reflect.ownKeys(v)) deepFreeze((v as Record<PropertyKey, unknown>)[k]);
  }
  return v;
}

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

const FIELDS = ['Image', 'CommandLine', 'ParentImage', 'TargetObject', 'process', 'process.name', 'event', 'event.category', 'user', 'source.ip', '@timestamp', 'EventID', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const hostile = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', '*', '\\', '%00', 'C:\\Windows\\System32\\cmd.exe', '10.0.0.1', '::1', 'not-an-ip', '2024-13-45T99:99:99Z', 'x'.repeat(200_000)),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(nested(2_000)),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null), fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom(...FIELDS, 'name', 'category', 'ip', 'type'), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 })), { maxKeys: 4 }),
);
// JSON.parse, as real input arrives: `__proto__` becomes an own key, not the prototype.
const eventArb = fc.dictionary(fc.constantFrom(...FIELDS), hostile, { maxKeys: 8 }).map((o) => JSON.parse(JSON.stringify(o)) as Event);

describe('evaluation fuzzing over every shipped rule', () => {
  const project = loadProject();
  const detectors = [...project.compiled.detectors.values()];

  test(`${RUNS} hostile event batches: no exception, no hang, no mutation, no pollution`, () => {
    let evaluations = 0;
    let slowest = 0;
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 4 }), (events) => {
        const before = JSON.stringify(events);
        const frozen = deepFreeze(events);
        for (const d of detectors) {
          const t0 = performance.now();
          d.detect(frozen, { history: frozen, indicators: frozen });
          for (const e of frozen) {
            d.matches(e);
            d.explain(e);
          }
          slowest = Math.max(slowest, performance.now() - t0);
          evaluations++;
        }
        expect(JSON.stringify(events)).toBe(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS, seed },
    );
    console.info(`eval fuzz: ${RUNS} batches × ${detectors.length} rules = ${evaluations} rule evaluations; slowest ${slowest.toFixed(1)} ms`);
    expect(detectors.length).toBeGreaterThan(0);
    // A hang guard, not a speed measure (speed is npm run bench's): one rule over at most
    // four events. The bound leaves room for a loaded CI machine, where 0.5 s became 1.5 s.
    expect(slowest).toBeLessThan(5000);
  }, HEAVY_TIMEOUT);
});
