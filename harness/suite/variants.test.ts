/**
 * Property-based variants of every scenario case, near misses of every
 * positive single-event case, and replays of what the generator persisted
 * (`generated/variants/**`, `generated/counterexamples/*`).
 *
 * - Seeds: RULE_HARNESS_SEED=<n> fixes the base seed (printed on every
 *   failure; each case mixes it with rule id and case name). Unset: random.
 * - Runs per case: RULE_HARNESS_RUNS, else the scenario's `variants.runs`, else 20.
 * - A failing property is shrunk to a minimal variant, shown as a json-diff
 *   against the case's own events, and saved to
 *   `generated/counterexamples/<rule id>.json` (set RULE_HARNESS_SAVE_COUNTEREXAMPLES=0
 *   to not write it) — replayed by this file from then on. Only this file's
 *   worker writes those files, one per rule id.
 * Expected outcomes come from the cases (variants preserve them) and from the
 * generator's own model of the constraint tree (near misses) — never from the
 * engine under test.
 */
/// <reference types="vite/client" />
import fc from 'fast-check';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { caseNearMisses, caseSeed, planFor, runsFor, type CaseNearMiss } from '../generator/case-variants.ts';
import { expectationOf, readCorpora } from '../generator/corpus.ts';
import { readCounterexamples, saveCounterexample } from '../generator/counterexamples.ts';
import { renderEventDiffs } from '../generator/render-diff.ts';
import { caseFingerprint, variantArbitrary } from '../generator/variants.ts';
import { loadProject } from '../project/load-project.ts';
import { currentRuleShard, ruleInShard } from './rule-shard.ts';
import { describeExpectation, type Case, type Expectation, type Scenario } from '../scenarios/model.ts';
import { runCase, satisfies } from '../runner/verdict.ts';

import.meta.glob(['../../rules/**/*.{yml,yaml,toml}', '../../scenarios/**/*.{yml,yaml}'], { query: '?raw', import: 'default', eager: true });

const project = loadProject();
const OUT = resolve('generated');
const envSeed = process.env.RULE_HARNESS_SEED;
const baseSeed = envSeed !== undefined && /^-?\d+$/.test(envSeed) ? Number(envSeed) : Math.floor(Math.random() * 2 ** 31);
const saveCounterexamples = process.env.RULE_HARNESS_SAVE_COUNTEREXAMPLES !== '0';
const only = process.env.RULE_HARNESS_ONLY ? new Set(process.env.RULE_HARNESS_ONLY.split(',')) : undefined;
const timestampFields = project.config.sigma.timestampFields;

const alertsOf = (d: Detector, c: Case, events: readonly Event[]) => d.detect(events, { history: c.history, indicators: c.indicators });

function expectCase(d: Detector, c: Case, events: readonly Event[], expectation: Expectation): string | undefined {
  const alerts = alertsOf(d, c, events);
  if (satisfies(expectation, alerts)) return undefined;
  return `expected ${describeExpectation(expectation)}, got ${alerts.length} alert(s)${alerts.length ? ` on events ${JSON.stringify(alerts.map((a) => a.events))}` : ''}`;
}

function registerCase(detector: Detector, scenario: Scenario, c: Case, misses: readonly CaseNearMiss[]): void {
  const where = `${scenario.file}:${c.line}`;
  const plan = planFor(detector, c, timestampFields);
  const runs = runsFor(scenario.variants?.runs);
  if (runs > 0) {
    test(`${c.name}: variants keep '${describeExpectation(c.expect)}'`, () => {
      const seed = caseSeed(baseSeed, detector.rule.id, c.name);
      const details = fc.check(
        fc.property(variantArbitrary(plan), ({ variant }) => expectCase(detector, c, variant.events, c.expect) === undefined),
        { seed, numRuns: runs },
      );
      if (!details.failed || !details.counterexample) {
        expect(details.failed).toBe(false);
        return;
      }
      const { variant, spec } = details.counterexample[0];
      const why = expectCase(detector, c, variant.events, c.expect) ?? 'property failed';
      let saved = '';
      if (saveCounterexamples) {
        saved = saveCounterexample(OUT, { id: detector.rule.id, file: detector.rule.source.file }, {
          case: c.name,
          case_fingerprint: caseFingerprint(c),
          base_seed: baseSeed,
          seed,
          path: details.counterexamplePath ?? '',
          transformations: variant.transformations,
          expect: c.expect.kind === 'count' ? { alerts: c.expect.alerts } : c.expect.kind,
          events: variant.events,
        });
      }
      expect.fail(
        [
          `variant of case '${c.name}' (${where}) of rule ${detector.rule.id} ('${detector.rule.title}', ${detector.rule.source.file}): ${why}`,
          `transformations (shrunk to ${spec.ops.length} op(s)):`,
          ...variant.transformations.map((t) => `  - ${t}`),
          renderEventDiffs(c.events, variant.events),
          `reproduce: RULE_HARNESS_SEED=${baseSeed} npx vitest run harness/suite/variants.test.ts -t '${c.name}'  (fast-check seed ${seed}, path ${details.counterexamplePath})`,
          saved ? `saved to ${saved} (replayed from now on)` : '',
        ].join('\n'),
      );
    });
  }
  if (misses.length > 0) {
    test(`${c.name}: ${misses.length} near miss(es) stay silent`, () => {
      const failures = misses.flatMap((nm) => {
        const why = expectCase(detector, c, nm.events, nm.expect);
        return why ? [`near miss of case '${c.name}' (${where}) — ${nm.description}: ${why}\n${renderEventDiffs(c.events, nm.events)}`] : [];
      });
      expect(failures, failures.join('\n\n')).toEqual([]);
    });
  }
}

const shard = currentRuleShard();
for (const [ruleId, scenarios] of project.scenariosByRule) {
  if (!ruleInShard(ruleId, shard)) continue;
  if (only && !only.has(ruleId)) continue;
  const detector = project.compiled.detectors.get(ruleId);
  if (!detector) continue; // rules.test.ts reports rules that do not compile
  // Known gaps and cases failing as written are rules.test.ts's business: variants of them say nothing new.
  const cases = scenarios
    .flatMap((scenario) => scenario.cases.filter((c) => !c.knownGap && runCase(detector, c).pass).map((c) => ({ scenario, c, misses: caseNearMisses(detector, c) })))
    .filter((x) => runsFor(x.scenario.variants?.runs) > 0 || x.misses.length > 0);
  if (cases.length === 0) continue;
  describe(`variants: ${detector.rule.title} [${ruleId}]`, () => {
    for (const { scenario, c, misses } of cases) registerCase(detector, scenario, c, misses);
  });
}

function findCase(ruleId: string, name: string): { detector: Detector; c: Case } | undefined {
  const detector = project.compiled.detectors.get(ruleId);
  const c = project.scenariosByRule.get(ruleId)?.flatMap((s) => s.cases).find((x) => x.name === name);
  return detector && c ? { detector, c } : undefined;
}

/** This run's share of the saved files: its rules' (`only`, the shard); an unreadable file goes to one shard, by its name. */
const mine = <T>(files: readonly T[], fileOf: (x: T) => string, ruleOf: (x: T) => string | undefined): T[] =>
  files.filter((x) => {
    const rule = ruleOf(x);
    return rule === undefined ? ruleInShard(fileOf(x), shard) : (!only || only.has(rule)) && ruleInShard(rule, shard);
  });

const corpora = mine(readCorpora(OUT), (c) => c.file, (c) => c.corpus?.rule);
// An empty describe is an error in vitest: register the group only when there is something to replay.
describe.runIf(corpora.length > 0)('persisted variant corpora (generated/variants)', () => {
  for (const { file, corpus, error } of corpora) {
    if (!corpus) {
      test(`${file} is readable`, () => expect.fail(`${file}: ${error}`));
      continue;
    }
    const detector = project.compiled.detectors.get(corpus.rule);
    if (!detector) {
      test(`${file}: rule ${corpus.rule} no longer exists (stale corpus, skipped)`, () => {
        console.warn(`${file}: rule ${corpus.rule} is not among the compiled rules — regenerate with \`npx rule-harness generate\` or delete the file`);
        expect(project.compiled.detectors.has(corpus.rule)).toBe(false);
      });
      continue;
    }
    test(`${file} replays (${corpus.variants.length} variants, ${corpus.near_misses.length} near misses)`, () => {
      const failures: string[] = [];
      let stale = 0;
      for (const [kind, entries] of [['variant', corpus.variants], ['near miss', corpus.near_misses]] as const) {
        entries.forEach((v, i) => {
          const found = findCase(corpus.rule, v.case);
          if (!found || caseFingerprint(found.c) !== v.case_fingerprint) {
            stale++;
            return;
          }
          const why = expectCase(detector, found.c, v.events, expectationOf(v.expect));
          if (why) failures.push(`${kind} #${i} of case '${v.case}': ${why}\n  ${v.transformations.join('\n  ')}\n${renderEventDiffs(found.c.events, v.events)}`);
        });
      }
      if (stale) console.warn(`${file}: ${stale} entr${stale === 1 ? 'y' : 'ies'} derived from cases that changed or no longer exist were skipped — regenerate with \`npx rule-harness generate\``);
      expect(failures, `${file}: behaviour changed on persisted variants of rule ${corpus.rule} (${detector.rule.source.file}):\n${failures.join('\n\n')}`).toEqual([]);
    });
  }
});

const counterexamples = mine(readCounterexamples(OUT), (c) => c.file, (c) => c.data?.rule);
describe.runIf(counterexamples.length > 0)('saved counterexamples (generated/counterexamples)', () => {
  for (const { file, data, error } of counterexamples) {
    if (!data) {
      test(`${file} is readable`, () => expect.fail(`${file}: ${error}`));
      continue;
    }
    const detector = project.compiled.detectors.get(data.rule);
    test(`${file} replays (${data.counterexamples.length})`, () => {
      if (!detector) {
        console.warn(`${file}: rule ${data.rule} no longer exists — delete the file`);
        expect(project.compiled.detectors.has(data.rule)).toBe(false);
        return;
      }
      let stale = 0;
      const failures = data.counterexamples.flatMap((cx) => {
        const found = findCase(data.rule, cx.case);
        if (found && caseFingerprint(found.c) !== cx.case_fingerprint) {
          stale++;
          return [];
        }
        const c: Case = found?.c ?? { name: cx.case, expect: expectationOf(cx.expect), events: cx.events, alsoFires: [], tags: [], history: [], indicators: [], line: 0 };
        const why = expectCase(detector, c, cx.events, expectationOf(cx.expect));
        return why ? [`counterexample of case '${cx.case}' (seed ${cx.base_seed}): ${why}\n  ${cx.transformations.join('\n  ')}\n${renderEventDiffs(c.events, cx.events)}`] : [];
      });
      if (stale) console.warn(`${file}: ${stale} counterexample(s) of cases that changed since were skipped — delete them once reviewed`);
      expect(failures, `${file}: saved counterexamples of rule ${data.rule} (${detector.rule.source.file}) fail — fix the rule, or delete the entry if the variant itself was wrong:\n${failures.join('\n\n')}`).toEqual([]);
    });
  }
});
