import { existsSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { compileEql } from './index.ts';
import { parseMapping } from '../../mapping/index.ts';
import { SHARED } from '../../core/shared-dir.ts';

/**
 * Elasticsearch's own EQL QA suite (../shared/conformance/eql, README there):
 * event_type is the category, FILETIME timestamps become epoch millis,
 * serial_event_id is the tiebreaker and the result id, size 50.
 */
const dir = join(SHARED, 'conformance', 'eql');
const shared = existsSync(resolve(dir, 'test_queries.toml'));
if (!shared) console.warn(`EQL conformance skipped: ${dir} is absent (needs ../shared beside the checkout)`);

interface Spec {
  name?: string;
  query: string;
  expected_event_ids: number[];
  case_sensitive?: boolean;
  case_insensitive?: boolean;
}

/** Specs we do not pass, each with the reason (the test asserts this list is exact). */
const KNOWN_FAILURES: Record<string, string> = {};

function loadEvents(): Event[] {
  // FILETIME ticks exceed 2^53: read them as text so the millisecond conversion is exact.
  const raw = readFileSync(resolve(dir, 'test_data.json'), 'utf8').replace(/"timestamp":\s*(\d+)/g, '"timestamp": "$1"');
  const events = JSON.parse(raw) as Record<string, unknown>[];
  return events.map((e) => {
    const ms = BigInt(e.timestamp as string) / 10000n - 11644473600000n;
    return { ...e, '@timestamp': Number(ms) };
  });
}

describe.skipIf(!shared)('EQL conformance: Elasticsearch QA test_queries.toml (needs ../shared)', () => {
  const specs = shared ? (parse(readFileSync(resolve(dir, "test_queries.toml"), "utf8")) as unknown as { queries: Spec[] }).queries : [];
  const unsupported = shared ? new Set((parse(readFileSync(resolve(dir, "test_queries_unsupported.toml"), "utf8")) as unknown as { queries: Spec[] }).queries.map((q) => q.query.trim())) : new Set<string>();
  const events = shared ? loadEvents() : [];
  const serial = events.map((e) => e.serial_event_id as number);

  const skippedUnsupported = specs.filter((s) => unsupported.has(s.query.trim()));
  const skippedCaseOption = specs.filter((s) => !unsupported.has(s.query.trim()) && s.case_insensitive === true && s.case_sensitive !== true);
  const runnable = specs.filter((s) => !skippedUnsupported.includes(s) && !skippedCaseOption.includes(s));

  const typed = shared ? parseMapping(readFileSync(resolve(dir, 'mapping-default.json'), 'utf8'), 'mapping-default.json') : undefined;
  const fixture = (f: string): Spec[] => (parse(readFileSync(resolve(import.meta.dirname, 'fixtures', 'es-qa', f), 'utf8')) as unknown as { queries: Spec[] }).queries;
  const dateSpecs = fixture('test_queries_date.toml');
  const additional = [...fixture('additional_test_queries.toml'), ...fixture('test_between_queries.toml').map((q, i) => ({ ...q, name: q.name ?? `between#${i}` }))];

  it.each([
    ['mapping-less', undefined, runnable],
    ['typed by mapping-default.json, with test_queries_date.toml, additional_test_queries.toml and test_between_queries.toml', typed, [...runnable, ...dateSpecs, ...additional]],
  ] as const)('runs every runnable spec (%s); failures are exactly the known list', (_how, mapping, specsToRun) => {
    const failures: Record<string, string> = {};
    let passed = 0;
    for (const [i, s] of specsToRun.entries()) {
      const name = s.name ?? `#${i}`;
      let got: number[] | string;
      try {
        const q = compileEql(s.query, { eventCategoryField: 'event_type', timestampField: '@timestamp', tiebreakerField: 'serial_event_id', size: 50, ...(mapping ? { mapping } : {}) });
        got = q.run(events).flatMap((r) => r.events.map((x) => serial[x]!));
      } catch (e) {
        got = `error: ${(e as Error).message}`;
      }
      if (JSON.stringify(got) === JSON.stringify(s.expected_event_ids)) passed++;
      else failures[name] = `got ${JSON.stringify(got)}, expected ${JSON.stringify(s.expected_event_ids)}`;
    }
    console.log(
      `EQL conformance (${_how}): ${passed}/${specsToRun.length} passed; skipped ${skippedUnsupported.length} unsupported by Elasticsearch and ${skippedCaseOption.length} written for the removed case_insensitive option`,
    );
    for (const [name, reason] of Object.entries(KNOWN_FAILURES)) console.log(`  known failure ${name}: ${reason}`);
    for (const [name, why] of Object.entries(failures)) if (!(name in KNOWN_FAILURES)) console.log(`  FAIL ${name}: ${why}`);
    expect(runnable.length).toBe(117 - skippedCaseOption.length);
    expect(Object.keys(failures).sort()).toEqual(Object.keys(KNOWN_FAILURES).sort());
  });
});
