import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { SHARED } from '../core/shared-dir.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { draftScenario } from '../generator/scaffold.ts';
import { loadRules } from '../rules/load.ts';
import { loadScenarios } from '../scenarios/load.ts';
import { buildRuleIndex } from './rule-index.ts';

const CORPUS = join(SHARED, 'corpus', 'elastic', 'rules');

/** Scenario events of the shipped project and each rule's drafted positives and near misses: events close to the rules' logic. */
function eventsNear(detectors: readonly Detector[]): Event[] {
  const out: Event[] = loadScenarios('scenarios').scenarios.flatMap((s) => s.cases.flatMap((c) => c.events));
  for (const d of detectors) if (d.prefilter) for (const c of draftScenario(d).cases) out.push(...c.events);
  return out;
}

function expectExact(detectors: readonly Detector[], events: readonly Event[]): void {
  const index = buildRuleIndex(detectors);
  let evaluated = 0;
  for (const e of events) {
    expect(index.matching(e).map((d) => d.rule.id), JSON.stringify(e)).toEqual(detectors.filter((d) => d.matches(e)).map((d) => d.rule.id));
    evaluated += index.candidateCount(e);
  }
  // The engines' own indexes prune: far fewer rules evaluated than rules × events.
  expect(evaluated).toBeLessThan((detectors.length * events.length) / 4);
}

describe('rule index over every engine: exactly the rules whose matches() holds', () => {
  test('shipped Sigma and Elastic rules (EQL, ES|QL and KQL through their prefilter families), on scenario and drafted events', () => {
    const detectors = [...compileRuleSet(loadRules('rules'), { sigma: { placeholders: {} } }).detectors.values()];
    const families = new Set(detectors.flatMap((d) => (d.prefilter ? [d.prefilter.family.name] : [])));
    expect([...families].sort()).toEqual(['eql', 'esql', 'kql']);
    expectExact(detectors, eventsNear(detectors));
    // It drafts every shipped rule's scenario and runs every rule on every event (about 30 s on the idle machine).
  }, 180_000);

  test.skipIf(!existsSync(CORPUS))('every 20th Elastic corpus rule (needs ../shared)', () => {
    const detectors = [...compileRuleSet(loadRules(CORPUS), { sigma: { placeholders: {} } }).detectors.values()].filter((_, i) => i % 20 === 0);
    expect(detectors.length).toBeGreaterThan(80);
    expectExact(detectors, eventsNear(detectors));
  }, 180_000);
});
