/**
 * What the rule suite checks of one scenario case, each check returning its
 * failures as text (none: it holds). A failure's first line starts with its
 * kind in brackets — `[verdict]`, `[cross-fire]`, `[variant]`, `[near miss]` —
 * which the summary reporter counts by rule and kind.
 *
 * Expected outcomes come from the cases (variants preserve them) and from the
 * generator's model of the constraint tree (near misses), never from the
 * engine under test.
 */
import fc from 'fast-check';
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { caseNearMisses, caseSeed, planFor, runsFor } from '../generator/case-variants.ts';
import { saveCounterexample } from '../generator/counterexamples.ts';
import { renderEventDiffs } from '../generator/render-diff.ts';
import { caseFingerprint, variantArbitrary } from '../generator/variants.ts';
import { crossFireCase } from '../runner/crossfire.ts';
import type { CrossFireIndex } from '../runner/crossfire-index.ts';
import { renderFailure } from '../runner/render-failure.ts';
import { runCase, satisfies } from '../runner/verdict.ts';
import { caseContext, describeExpectation, type Case, type Expectation, type Scenario } from '../scenarios/model.ts';

export type FailureKind = 'verdict' | 'cross-fire' | 'variant' | 'near miss';
export const FAILURE_KINDS: readonly FailureKind[] = ['verdict', 'cross-fire', 'variant', 'near miss'];

const tagged = (kind: FailureKind, text: string): string => `[${kind}] ${text}`;

/** Why `events` do not meet `expectation` under the detector, or undefined. */
export function unmet(d: Detector, c: Case, events: readonly Event[], expectation: Expectation): string | undefined {
  const alerts = d.detect(events, caseContext(c));
  if (satisfies(expectation, alerts)) return undefined;
  return `expected ${describeExpectation(expectation)}, got ${alerts.length} alert(s)${alerts.length ? ` on events ${JSON.stringify(alerts.map((a) => a.events))}` : ''}`;
}

/** The case's verdict; a known gap must still fail (once it passes, the marker goes). `passed`: the case holds as written. */
export function checkVerdict(d: Detector, scenario: Scenario, c: Case): { failures: string[]; passed: boolean } {
  const verdict = runCase(d, c);
  if (c.knownGap) {
    return verdict.pass
      ? { failures: [tagged('verdict', `case '${c.name}' (${scenario.file}:${c.line}) is marked known_gap ("${c.knownGap}") but now passes — remove the known_gap marker`)], passed: false }
      : { failures: [], passed: false };
  }
  return verdict.pass ? { failures: [], passed: true } : { failures: [tagged('verdict', renderFailure(d, c, verdict, scenario.file))], passed: false };
}

/** Other rules alerting on the case's events without being declared, and declarations no longer true. */
export function checkCrossFire(d: Detector, scenario: Scenario, c: Case, cross: CrossFireIndex): string[] {
  const r = crossFireCase(d, c, cross);
  return [
    ...r.surprises.map((s) => tagged('cross-fire', `case '${c.name}' (${scenario.file}:${c.line}): rule ${s.rule.rule.id} ('${s.rule.rule.title}', ${s.rule.rule.source.file}) also fires on events ${JSON.stringify(s.alerts.map((a) => a.events))} — rule under test is ${d.rule.id}; declare it in also_fires if intended (\`rule-harness accept\` writes it)`)),
    ...r.stale.map((s) => tagged('cross-fire', `case '${c.name}' (${scenario.file}:${c.line}): also_fires lists ${s.ruleId}, which does not fire on these events (\`rule-harness accept\` removes it)`)),
  ];
}

export interface VariantSettings {
  readonly baseSeed: number;
  readonly timestampFields?: readonly string[];
  /** Where counterexamples are saved (generated/); undefined: not saved. */
  readonly saveTo?: string;
}

/** fast-check variants of a passing case keep its verdict; a failure is shrunk, shown as a diff and saved. */
export function checkVariants(d: Detector, scenario: Scenario, c: Case, s: VariantSettings): string[] {
  const runs = runsFor(scenario.variants?.runs);
  if (runs <= 0) return [];
  const plan = planFor(d, c, s.timestampFields);
  const seed = caseSeed(s.baseSeed, d.rule.id, c.name);
  const details = fc.check(
    fc.property(variantArbitrary(plan), ({ variant }) => unmet(d, c, variant.events, c.expect) === undefined),
    { seed, numRuns: runs },
  );
  if (!details.failed || !details.counterexample) return [];
  const { variant, spec } = details.counterexample[0];
  const why = unmet(d, c, variant.events, c.expect) ?? 'property failed';
  const saved = s.saveTo
    ? saveCounterexample(s.saveTo, { id: d.rule.id, file: d.rule.source.file }, {
        case: c.name,
        case_fingerprint: caseFingerprint(c),
        base_seed: s.baseSeed,
        seed,
        path: details.counterexamplePath ?? '',
        transformations: variant.transformations,
        expect: c.expect.kind === 'count' ? { alerts: c.expect.alerts } : c.expect.kind,
        events: variant.events,
      })
    : '';
  return [
    tagged(
      'variant',
      [
        `variant of case '${c.name}' (${scenario.file}:${c.line}) of rule ${d.rule.id} ('${d.rule.title}', ${d.rule.source.file}): ${why}`,
        `transformations (shrunk to ${spec.ops.length} op(s)):`,
        ...variant.transformations.map((t) => `  - ${t}`),
        renderEventDiffs(c.events, variant.events),
        `reproduce: RULE_HARNESS_SEED=${s.baseSeed} npx vitest run harness/suite -t '${c.name}'  (fast-check seed ${seed}, path ${details.counterexamplePath})`,
        saved ? `saved to ${saved} (replayed from now on)` : '',
      ].join('\n'),
    ),
  ];
}

/** Near misses of a positive single-event case (one constraint of its branch broken) stay silent. */
export function checkNearMisses(d: Detector, scenario: Scenario, c: Case): string[] {
  return caseNearMisses(d, c).flatMap((nm) => {
    const why = unmet(d, c, nm.events, nm.expect);
    return why ? [tagged('near miss', `near miss of case '${c.name}' (${scenario.file}:${c.line}) — ${nm.description}: ${why}\n${renderEventDiffs(c.events, nm.events)}`)] : [];
  });
}
