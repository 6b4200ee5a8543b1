import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Detector } from '../core/detector.ts';
import type { Rule } from '../core/rule.ts';
import { benchData, requireShared } from './corpus.ts';
import type { RunResult } from './workloads.ts';

/** Every `type = "esql"` rule of the Elastic corpus, loaded (not compiled). */
async function corpusEsqlRules(): Promise<Rule[]> {
  const { elasticFileContent } = await import('../rules/elastic-documents.ts');
  const root = requireShared('corpus/elastic');
  const out: Rule[] = [];
  for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((x) => x.endsWith('.toml')).sort()) {
    const text = readFileSync(join(root, f), 'utf8');
    if (!/^\s*type\s*=\s*"esql"/m.test(text)) continue;
    out.push(...elasticFileContent(f, text).rules);
  }
  return out;
}

/** `esql-rule-compile`: every corpus ES|QL rule compiled as a detector (ok: all but the 8 not-evaluable ones). */
export async function esqlRuleCompileWorkload(): Promise<() => RunResult> {
  const { compileElasticRule } = await import('../engines/elastic/index.ts');
  const rules = await corpusEsqlRules();
  return () => {
    let compiled = 0;
    let notEvaluable = 0;
    for (const r of rules) {
      const c = compileElasticRule(r);
      if (c.ok) compiled++;
      else notEvaluable++;
    }
    return { units: rules.length, ok: notEvaluable === 8 && compiled === rules.length - 8, note: `${compiled} compiled, ${notEvaluable} not evaluable` };
  };
}

/**
 * `esql-rule-matches`: each compiled corpus ES|QL rule's `matches` over the
 * first 500 KQL bench events (the single-event path streaming and the
 * cross-fire pass use). Checked untimed first: on 100 of the events, a
 * non-aggregating rule's `matches` agrees with `detect` over that event alone.
 */
export async function esqlRuleMatchesWorkload(): Promise<() => RunResult> {
  const { compileElasticRule } = await import('../engines/elastic/index.ts');
  const detectors = (await corpusEsqlRules()).flatMap((r): Detector[] => {
    const c = compileElasticRule(r);
    return c.ok ? [c.detector] : [];
  });
  const events = benchData('kql').events.slice(0, 500);
  const disagree: string[] = [];
  for (const d of detectors) {
    if (d.constraints().aggregate) continue;
    for (const e of events.slice(0, 100)) if (d.matches(e) !== d.detect([e]).length > 0) disagree.push(d.rule.source.file);
  }
  return () => {
    let hits = 0;
    for (const d of detectors) for (const e of events) if (d.matches(e)) hits++;
    return { units: detectors.length * events.length, ok: disagree.length === 0, note: disagree.length ? `matches ≠ detect: ${[...new Set(disagree)].join(', ')}` : `${hits} matches` };
  };
}
