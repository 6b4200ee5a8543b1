import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../../core/shared-dir.ts';
import { elasticFileContent } from '../../rules/elastic-documents.ts';
import { compileElasticRule } from './index.ts';

/**
 * Every `type = "esql"` rule of the Elastic corpus loads as a rule and
 * compiles as a Detector (or is not evaluable, with its reason), and runs on
 * an empty case without an exception.
 */
const root = join(SHARED, 'corpus', 'elastic');
const shared = existsSync(root);
if (!shared) console.log(`ES|QL rule corpus test skipped: ${root} is absent (needs ../shared beside the checkout)`);

describe.skipIf(!shared)('Elastic corpus ES|QL rules as detectors (needs ../shared)', () => {
  it('load, compile and run on no events; the not-evaluable ones say why', () => {
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.toml')).sort();
    const loadErrors: string[] = [];
    const notEvaluable: string[] = [];
    let evaluable = 0;
    let total = 0;
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      if (!/^\s*type\s*=\s*"esql"/m.test(text)) continue;
      total++;
      const { rules, diagnostics } = elasticFileContent(f, text);
      const rule = rules[0];
      if (!rule || diagnostics.length > 0) {
        loadErrors.push(`${f}: ${diagnostics.map((d) => d.message).join('; ')}`);
        continue;
      }
      expect(rule.kind).toBe('esql');
      expect(rule.index?.length ?? 0, `${f}: FROM patterns as the rule's index`).toBeGreaterThan(0);
      try {
        const c = compileElasticRule(rule);
        if (!c.ok) {
          notEvaluable.push(`${f}: ${c.reason}`);
          continue;
        }
        expect(c.detector.detect([])).toEqual([]);
        evaluable++;
      } catch (e) {
        loadErrors.push(`${f}: ${(e as Error).message}`);
      }
    }
    console.log(`ES|QL rules: ${total} in the corpus, ${evaluable} evaluable; not evaluable (${notEvaluable.length}):\n  ${notEvaluable.join('\n  ')}`);
    expect(total).toBeGreaterThanOrEqual(200);
    expect(loadErrors).toEqual([]);
    // The seven COMPLETION rules (an LLM call) and one RLIKE with Lucene's `&` (engines/esql/corpus.test.ts).
    expect(notEvaluable.filter((n) => n.includes('COMPLETION')).length).toBe(7);
    expect(notEvaluable.filter((n) => !n.includes('COMPLETION')).map((n) => n.slice(0, n.indexOf(':')))).toEqual(['rules/integrations/kubernetes/execution_kubernetes_pod_exec_potential_reverse_shell.toml']);
    expect(evaluable).toBe(total - 8);
  });
});
