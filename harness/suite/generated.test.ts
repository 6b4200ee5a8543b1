/**
 * Replays of what the generator persisted: the variant corpora of
 * `rule-harness generate` (generated/variants/**) and the counterexamples the
 * suite saved when a variant failed (generated/counterexamples/*). Each shard
 * replays its own rules' files (rule-shard.ts).
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import { expectationOf, listCorpora, readCorpus } from '../generator/corpus.ts';
import { readCounterexamples } from '../generator/counterexamples.ts';
import { renderEventDiffs } from '../generator/render-diff.ts';
import { caseFingerprint } from '../generator/variants.ts';
import type { Case } from '../scenarios/model.ts';
import { unmet } from './case-checks.ts';
import { currentRuleShard, ruleInShard } from './rule-shard.ts';
import { suiteProject } from './suite-project.ts';

const suite = suiteProject();
const { project, only } = suite;
const OUT = join(project.root, 'generated');
const shard = currentRuleShard();

/** This run's share of the saved files: its rules' (`only`, the shard); an unreadable file goes to one shard, by its name. */
const mine = <T>(files: readonly T[], fileOf: (x: T) => string, ruleOf: (x: T) => string | undefined): T[] =>
  files.filter((x) => {
    const rule = ruleOf(x);
    return rule === undefined ? ruleInShard(fileOf(x), shard) : (!only || only.has(rule)) && ruleInShard(rule, shard);
  });

// Listed up front (rule and counts); each file's entries are read in its own test, so a
// repository's generated/ (~180 MB at 5,600 rules) is never held in memory at once.
const corpora = mine(listCorpora(OUT), (c) => c.file, (c) => c.rule);
const counterexamples = mine(readCounterexamples(OUT), (c) => c.file, (c) => c.data?.rule);
// Only the scenarios of rules with something to replay are read.
const replayed = new Set([...corpora.map((c) => c.rule), ...counterexamples.map((c) => c.data?.rule)]);
const { scenariosByRule } = replayed.size > 0 ? suite.scenariosOf((id) => replayed.has(id)) : { scenariosByRule: new Map<string, never>() };

function findCase(ruleId: string, name: string): { detector: Detector; c: Case } | undefined {
  const detector = project.compiled.detectors.get(ruleId);
  const c = scenariosByRule.get(ruleId)?.flatMap((s) => s.cases).find((x) => x.name === name);
  return detector && c ? { detector, c } : undefined;
}

// An empty describe is an error in vitest: register the group only when there is something to replay.
describe.runIf(corpora.length > 0)('persisted variant corpora (generated/variants)', () => {
  for (const { file, rule, variants, nearMisses, error } of corpora) {
    if (rule === undefined) {
      test(`${file} is readable`, () => expect.fail(`${file}: ${error}`));
      continue;
    }
    const detector = project.compiled.detectors.get(rule);
    if (!detector) {
      test(`${file}: rule ${rule} no longer exists (stale corpus, skipped)`, () => {
        console.warn(`${file}: rule ${rule} is not among the compiled rules — regenerate with \`npx rule-harness generate\` or delete the file`);
        expect(project.compiled.detectors.has(rule)).toBe(false);
      });
      continue;
    }
    test(`${file} replays (${variants} variants, ${nearMisses} near misses)`, () => {
      const corpus = readCorpus(file);
      const failures: string[] = [];
      let stale = 0;
      // Each case's fingerprint once per file, not once per entry (a file holds up to a few hundred).
      const cases = new Map((scenariosByRule.get(corpus.rule) ?? []).flatMap((s) => s.cases).map((c) => [c.name, { c, fp: caseFingerprint(c) }] as const));
      for (const [kind, entries] of [['variant', corpus.variants], ['near miss', corpus.near_misses]] as const) {
        entries.forEach((v, i) => {
          const found = cases.get(v.case);
          if (!found || found.fp !== v.case_fingerprint) {
            stale++;
            return;
          }
          const why = unmet(detector, found.c, v.events, expectationOf(v.expect));
          if (why) failures.push(`${kind} #${i} of case '${v.case}': ${why}\n  ${v.transformations.join('\n  ')}\n${renderEventDiffs(found.c.events, v.events)}`);
        });
      }
      if (stale) console.warn(`${file}: ${stale} entr${stale === 1 ? 'y' : 'ies'} derived from cases that changed or no longer exist were skipped — regenerate with \`npx rule-harness generate\``);
      expect(failures, `${file}: behaviour changed on persisted variants of rule ${corpus.rule} (${detector.rule.source.file}):\n${failures.join('\n\n')}`).toEqual([]);
    });
  }
});

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
        const why = unmet(detector, c, cx.events, expectationOf(cx.expect));
        return why ? [`counterexample of case '${cx.case}' (seed ${cx.base_seed}): ${why}\n  ${cx.transformations.join('\n  ')}\n${renderEventDiffs(c.events, cx.events)}`] : [];
      });
      if (stale) console.warn(`${file}: ${stale} counterexample(s) of cases that changed since were skipped — delete them once reviewed`);
      expect(failures, `${file}: saved counterexamples of rule ${data.rule} (${detector.rule.source.file}) fail — fix the rule, or delete the entry if the variant itself was wrong:\n${failures.join('\n\n')}`).toEqual([]);
    });
  }
});
