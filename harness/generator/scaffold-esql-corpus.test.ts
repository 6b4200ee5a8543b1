/**
 * Corpus-scale check of `scaffold` on Elastic's ES|QL rules: every rule with
 * `type = "esql"` under ../shared/corpus/elastic is compiled; each one the
 * harness evaluates offline (not COMPLETION, not an unsupported regex) gets a
 * draft, and the draft is checked by the rule's own detector as `scaffold`
 * does before writing (scaffold-rule.ts): a rule counts as drafted when at
 * least one positive fires, and the cases the engine disagrees with are the
 * ones `scaffold` leaves out, named. Every miss is printed with its reason.
 * The expectations are the generator's; the engine only judges.
 *
 * Runtime: ~25 s for the 212 rules on one core, so by default every second
 * rule (a deterministic sample, said in the test name); RULE_HARNESS_CORPUS_FULL=1 all.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import { SHARED } from '../core/shared-dir.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { loadRules } from '../rules/load.ts';
import { satisfies } from '../runner/verdict.ts';
import { draftScenario, type DraftCase } from './scaffold.ts';

const corpus = join(SHARED, 'corpus');
const shared = existsSync(corpus);
const full = process.env.RULE_HARNESS_CORPUS_FULL === '1';
const STRIDE = full ? 1 : 2;
const sampleNote = full ? 'all rules' : `one rule in ${STRIDE} (RULE_HARNESS_CORPUS_FULL=1: all)`;
/**
 * The share of evaluable ES|QL rules that get a draft with a firing positive. Measured on
 * the full corpus: 186 of 204 (91.2 %; the default half sample 96 of 102, 94.1 %; issue 15 asks
 * for 80 %). It was 89 before positives carried sample matches of the PowerShell
 * rules' counted regex (esql-plant.ts), DISSECT source text built from the pattern
 * (esql-dissect-plant.ts) and GROK source text sampled from the pattern (esql-grok-plant.ts);
 * 104 before positives were edited until the engine passes the row-level WHERE clauses
 * (esql-row-repair.ts), STATS groups were built from the rows the WHERE after STATS counts
 * (esql-needs-group.ts, engines/esql/constraints/group-needs.ts), stacked aggregations (a second
 * STATS, INLINE STATS: esql-stacked-stats.ts) and groups joined on a computed key
 * (esql-computed-key-group.ts) were drafted from the group model (esql-group-model.ts). Each
 * miss is listed with its reason in this test's output.
 */
const GATE = 0.85;

interface Judged {
  readonly drafted: boolean;
  readonly leftOut: number;
  readonly reason?: string;
}

/** The engine agrees with a drafted case (an engine error on it counts as a disagreement). */
function agrees(d: Detector, c: DraftCase): boolean {
  try {
    return satisfies(c.expect, d.detect(c.events, { history: c.history ?? [], indicators: [] }));
  } catch {
    return false;
  }
}

function judge(d: Detector): Judged {
  const draft = draftScenario(d);
  if (draft.unsupported) return { drafted: false, leftOut: 0, reason: `unsupported: ${draft.unsupported}` };
  let positive = false;
  let leftOut = 0;
  for (const c of draft.cases) {
    const ok = agrees(d, c);
    if (ok && c.role === 'positive') positive = true;
    if (!ok) leftOut++;
  }
  if (positive) return { drafted: true, leftOut };
  const why = draft.cases.length === 0 ? 'nothing drafted' : 'the engine does not fire on the drafted positive';
  return { drafted: false, leftOut, reason: `${why}${draft.notes.length ? ` — ${draft.notes.join('; ').slice(0, 240)}` : ''}` };
}

describe.skipIf(!shared)('scaffold over the ES|QL rules of the shared corpus (needs ../shared/corpus)', () => {
  test(`ES|QL: ≥ ${Math.round(GATE * 100)} % of the rules evaluable offline get a passing draft (${sampleNote})`, () => {
    const detectors: Detector[] = [];
    const notEvaluable: string[] = [];
    for (const dir of ['rules', 'rules_building_block'].map((x) => resolve(corpus, 'elastic', x)).filter(existsSync)) {
      const set = loadRules(dir);
      const compiled = compileRuleSet({ ...set, rules: set.rules.filter((r) => r.language === 'esql') }, { sigma: { placeholders: {} } });
      detectors.push(...compiled.detectors.values());
      notEvaluable.push(...compiled.notEvaluable.map((n) => `${n.rule.source.file.replace(/^.*corpus\//, '')}: ${n.reason.slice(0, 120)}`));
    }
    expect(detectors.length).toBeGreaterThan(150);
    const sample = detectors.filter((_, i) => i % STRIDE === 0);
    const misses: string[] = [];
    let drafted = 0;
    let leftOut = 0;
    for (const d of sample) {
      const j = judge(d);
      leftOut += j.leftOut;
      if (j.drafted) drafted++;
      else misses.push(`${d.rule.source.file.replace(/^.*corpus\//, '')}: ${j.reason ?? ''}`);
    }
    const rate = drafted / sample.length;
    console.log(
      `ES|QL scaffold: ${drafted}/${sample.length} evaluable rules drafted with a firing positive (${(rate * 100).toFixed(1)} %), ${leftOut} drafted case(s) the engine disagrees with (scaffold leaves them out); ${notEvaluable.length} not evaluable offline; ${sampleNote}` +
        `\nnot evaluable:\n  ${notEvaluable.join('\n  ')}` +
        (misses.length ? `\nnot drafted:\n  ${misses.join('\n  ')}` : ''),
    );
    expect(rate).toBeGreaterThanOrEqual(GATE);
  });
});
if (!shared) console.warn(`ES|QL scaffold corpus test skipped: ${corpus} is absent`);
