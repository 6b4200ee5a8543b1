/**
 * Corpus-scale check of the scaffold: for the compilable SigmaHQ rules and the
 * single-event EQL / KQL rules of Elastic's repository, the drafted positives
 * fire and the drafted negatives stay silent per the REAL engines, for ≥ 99 %
 * of the rules whose logic the generator's model can decide. Rules it cannot
 * (no positive drafted because of an opaque clause — an EQL function call the
 * engine does not describe as a leaf, a KQL wildcard field name) are counted
 * and listed separately, and bounded. The rest are printed with reasons. The
 * expectations are the generator's (its model of the constraint tree); the
 * engine only judges.
 *
 * Runtime: the full corpus takes ~20–40 s on one core. By default every
 * fourth rule is checked (a deterministic sample, said in the test name);
 * RULE_HARNESS_CORPUS_STRIDE=n every n-th (CI: 2), RULE_HARNESS_CORPUS_FULL=1 all.
 */
import { existsSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { loadRules } from '../rules/load.ts';
import { satisfies } from '../runner/verdict.ts';
import { leavesOf } from '../engines/common/predicate.ts';
import { draftScenario } from './scaffold.ts';
import { SHARED } from '../core/shared-dir.ts';

const corpus = join(SHARED, 'corpus');
const shared = existsSync(corpus);
const full = process.env.RULE_HARNESS_CORPUS_FULL === '1';
const STRIDE = full ? 1 : Math.max(1, Number(process.env.RULE_HARNESS_CORPUS_STRIDE ?? 4));
const sampleNote = full ? 'all rules' : `one rule in ${STRIDE} (RULE_HARNESS_CORPUS_FULL=1: all)`;

interface Outcome {
  readonly checked: number;
  readonly failures: readonly string[];
  /** Rules without a drafted positive because an opaque clause decides them. */
  readonly undecidable: readonly string[];
}

/** Draft every detector's scenario and judge it with the detector itself. */
function judge(detectors: readonly Detector[]): Outcome {
  const failures: string[] = [];
  const undecidable: string[] = [];
  let checked = 0;
  detectors.forEach((d, i) => {
    if (i % STRIDE !== 0) return;
    checked++;
    const draft = draftScenario(d);
    const where = `${d.rule.source.file.replace(/^.*corpus\//, '')} [${d.rule.kind}/${d.rule.language}]`;
    if (draft.unsupported) return void failures.push(`${where}: unsupported: ${draft.unsupported}`);
    if (!draft.cases.some((c) => c.role === 'positive')) {
      const opaque = leavesOf(d.constraints().logic).filter((l) => l.kind === 'opaque');
      if (opaque.length) return void undecidable.push(`${where}: opaque: ${opaque.map((l) => (l.kind === 'opaque' ? l.description : '')).join(' | ').slice(0, 160)}`);
      return void failures.push(`${where}: no positive drafted: ${draft.notes.join('; ').slice(0, 300)}`);
    }
    const wrong = draft.cases.filter((c) => !satisfies(c.expect, d.detect(c.events, { history: c.history ?? [], indicators: [] })));
    if (wrong.length) failures.push(`${where}: the engine disagrees on ${wrong.map((c) => `'${c.name}' (${c.role})`).join(', ')}`);
  });
  return { checked, failures, undecidable };
}

/** Success rate over every checked rule (not-draftable ones count as misses); prints every failure and every undecidable rule. */
function report(name: string, o: Outcome): { rate: number; undecidableShare: number } {
  const decidable = o.checked - o.undecidable.length;
  const ok = decidable - o.failures.length;
  const rate = o.checked ? ok / o.checked : 0;
  const undecidableShare = o.checked ? o.undecidable.length / o.checked : 0;
  console.log(
    `${name}: ${ok}/${o.checked} rules drafted correctly (${(rate * 100).toFixed(1)} %); ${decidable - ok} wrong; ${o.undecidable.length} (${(undecidableShare * 100).toFixed(1)} %) not draftable; ${sampleNote}` +
      (o.failures.length ? `\nfailures:\n  ${o.failures.join('\n  ')}` : '') +
      (o.undecidable.length ? `\nnot draftable (an opaque clause decides them):\n  ${o.undecidable.join('\n  ')}` : ''),
  );
  return { rate, undecidableShare };
}

/** The Elastic corpus compiled once for the two Elastic tests. */
let elastic: Detector[] | undefined;
function elasticDetectors(): Detector[] {
  return (elastic ??= ['rules', 'rules_building_block'].flatMap((d) => {
    const dir = resolve(corpus, 'elastic', d);
    return existsSync(dir) ? [...compileRuleSet(loadRules(dir), { sigma: { placeholders: {} } }).detectors.values()] : [];
  }));
}

describe.skipIf(!shared)('scaffold over the shared corpus (needs ../shared/corpus)', () => {
  test(`SigmaHQ: ≥ 99 % of compilable rules (${sampleNote})`, () => {
    const dirs = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-compliance', 'rules-dfir'].map((d) => resolve(corpus, 'sigmahq', d)).filter(existsSync);
    const detectors = dirs.flatMap((dir) => [...compileRuleSet(loadRules(dir), { sigma: { placeholders: {} } }).detectors.values()]);
    expect(detectors.length).toBeGreaterThan(1000);
    const r = report('SigmaHQ', judge(detectors));
    expect(r.rate).toBeGreaterThanOrEqual(0.99);
    expect(r.undecidableShare).toBeLessThanOrEqual(0.01);
  });
  test(`Elastic: ≥ 99 % of single-event EQL / KQL rules (${sampleNote})`, () => {
    const detectors = elasticDetectors().filter((d) => d.rule.kind === 'event' && (d.rule.language === 'eql' || d.rule.language === 'kuery') && !d.constraints().aggregate);
    expect(detectors.length).toBeGreaterThan(500);
    const r = report('Elastic', judge(detectors));
    expect(r.rate).toBeGreaterThanOrEqual(0.99);
    // Field-to-field functions and KQL wildcard field names stay opaque: about 1 % of these rules.
    expect(r.undecidableShare).toBeLessThanOrEqual(0.01);
  });
  test(`Elastic: ≥ 95 % of EQL sequence rules (${sampleNote})`, () => {
    const detectors = elasticDetectors().filter((d) => d.rule.kind === 'sequence' && d.rule.language === 'eql');
    expect(detectors.length).toBeGreaterThan(100);
    // Steps may join on different fields (`[a] by x [b] by y`); a few steps the synthesizer cannot satisfy remain.
    expect(report('Elastic sequences', judge(detectors)).rate).toBeGreaterThanOrEqual(0.95);
  });
});
if (!shared) console.warn(`scaffold corpus test skipped: ${corpus} is absent`);
