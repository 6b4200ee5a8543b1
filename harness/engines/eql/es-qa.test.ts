import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { parseMapping } from '../../mapping/index.ts';
import { compileEql } from './index.ts';

/**
 * Elasticsearch's EQL QA specs beyond test_queries.toml (fixtures/es-qa,
 * Elastic License 2.0, README there), run over their own data and mapping
 * as Elasticsearch's spec runner does: `event.category` and `event.sequence`
 * are aliases of `event_type` and `sequence` in each mapping, the tiebreaker
 * is `event.sequence`, and an event's id is its `sequence`; `-1` in the
 * expected ids stands for a missing-event stage (not part of our results).
 * Specs listing several `expected_event_ids` arrays accept any of them
 * (non-deterministic in Elasticsearch).
 */
const dir = join(import.meta.dirname, 'fixtures', 'es-qa');

interface Spec {
  readonly name: string;
  readonly query: string;
  readonly expected_event_ids: readonly number[] | readonly (readonly number[])[];
  readonly max_samples_per_key?: number;
}

/** Specs we do not pass, each with the reason (the test asserts this list is exact). */
const KNOWN_FAILURES: Readonly<Record<string, string>> = {};

function loadSpecs(file: string): Spec[] {
  // TOML has no null: the spec files write `join_keys = [null]`, which only their own loader accepts (join_keys are not compared here).
  const text = readFileSync(join(dir, file), 'utf8').replace(/^join_keys\s*=.*$/gm, (l) => l.replace(/(?<!")\bnull\b(?!")/g, '"null"'));
  return (parse(text) as unknown as { queries: Spec[] }).queries;
}

function loadSuite(data: string | readonly string[], mappingFile: string) {
  const events = (typeof data === 'string' ? [data] : data).flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Event[]);
  // The spec runner replaces this placeholder with keyword, constant_keyword or wildcard at random: all three match alike here.
  const mapping = parseMapping(readFileSync(join(dir, mappingFile), 'utf8').replaceAll('[runtime_random_keyword_type]', 'keyword'), mappingFile);
  return { events, mapping };
}

function run(spec: Spec, suite: ReturnType<typeof loadSuite>, id: string): number[] {
  const q = compileEql(spec.query, { mapping: suite.mapping, eventCategoryField: 'event.category', tiebreakerField: 'event.sequence', size: 1000, ...(spec.max_samples_per_key ? { maxSamplesPerKey: spec.max_samples_per_key } : {}) });
  return q.run(suite.events).flatMap((r) => r.events.map((i) => suite.events[i]![id] as number));
}

const expectations = (spec: Spec): number[][] => {
  const e = spec.expected_event_ids;
  const alternatives = e.length > 0 && Array.isArray(e[0]) ? (e as number[][]) : [e as number[]];
  return alternatives.map((a) => a.filter((x) => x !== -1));
};

const SUITES = [
  { file: 'test_missing_events.toml', data: 'missing-events.data.json', mapping: 'missing-events.mapping.json', id: 'sequence' },
  { file: 'test_extra.toml', data: 'extra.data.json', mapping: 'extra.mapping.json', id: 'sequence' },
  // Three indices searched together; their mappings merged (README: the two @timestamp_pretty formats as one list).
  { file: 'test_sample.toml', data: ['sample1.data.json', 'sample2.data.json', 'sample3.data.json'], mapping: 'sample.mapping.json', id: 'id' },
  { file: 'test_sample_multi.toml', data: 'sample-multi.data.json', mapping: 'sample-multi.mapping.json', id: 'id' },
];

describe.each(SUITES)('Elasticsearch EQL QA: $file', ({ file, data, mapping, id }) => {
  const suite = loadSuite(data, mapping);
  const specs = loadSpecs(file);
  const passing = specs.filter((s) => !(s.name in KNOWN_FAILURES));
  it.each(passing.map((s) => [s.name, s] as const))('%s', (_name, spec) => {
    const got = run(spec, suite, id);
    const wanted = expectations(spec);
    expect(wanted.some((w) => JSON.stringify(w) === JSON.stringify(got)) ? got : { got, wanted }).toEqual(got);
  });
});
