import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import { gateIndex } from './corpus-gate.ts';
import { compileEsql, indexResolver, NotEvaluableError } from './index.ts';
import { resolveIndices } from './commands/from.ts';
import { SHARED } from '../../core/shared-dir.ts';

/**
 * The corpus gate: every `language = "esql"` rule of the Elastic corpus parses,
 * and compiles and runs against an empty index typed as corpus-gate.ts says. Rules
 * that cannot run offline are listed with the reason (asserted exact).
 */
const root = join(SHARED, 'corpus', 'elastic');
const shared = existsSync(root);
if (!shared) console.log(`ES|QL corpus test skipped: ${root} is absent (needs ../shared beside the checkout)`);

function esqlRules(): { file: string; query: string }[] {
  const out: { file: string; query: string }[] = [];
  for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((x) => x.endsWith('.toml')).sort()) {
    const doc = parse(readFileSync(join(root, f), 'utf8')) as { rule?: { language?: string; query?: unknown } };
    if (doc.rule?.language === 'esql') out.push({ file: f, query: typeof doc.rule.query === 'string' ? doc.rule.query : '' });
  }
  return out;
}

/**
 * Rules that parse but cannot be evaluated offline: the seven COMPLETION rules
 * (an LLM call), and one RLIKE whose `>&` is Lucene's intersection operator,
 * which has no JavaScript regex equivalent.
 */
const NOT_EVALUABLE: Readonly<Record<string, string>> = {
  'rules/integrations/kubernetes/execution_kubernetes_pod_exec_potential_reverse_shell.toml': "Lucene regex operator '&'",
};
const COMPLETION_RULES = 7;

describe.skipIf(!shared)('Elastic corpus ES|QL rules (needs ../shared)', () => {
  it('every ES|QL rule parses; each is evaluable offline or listed with its reason', () => {
    const rules = esqlRules();
    const parseErrors: string[] = [];
    const notEvaluable: string[] = [];
    for (const r of rules) {
      let q;
      try {
        q = compileEsql(r.query);
      } catch (e) {
        parseErrors.push(`${r.file}: ${(e as Error).message}`);
        continue;
      }
      const from = q.ast.commands[0];
      const patterns = from?.command === 'from' ? from.indices : [];
      const name = patterns.find((p) => !p.startsWith('-'))?.replace(/\*/g, 'x').replace(/^[^:]*:/, '') ?? 'index';
      const ix = gateIndex(q.ast, name);
      if (resolveIndices(patterns, [name]).matched.length === 0) throw new Error(`${r.file}: the gate's index name ${name} does not match ${patterns.join(',')}`);
      try {
        q.run(indexResolver([ix]), { now: 0 });
      } catch (e) {
        if (e instanceof NotEvaluableError || e instanceof QuerySyntaxError) notEvaluable.push(`${r.file}: ${e.message}`);
        else throw e;
      }
    }
    console.log(`ES|QL corpus: ${rules.length} rules, ${rules.length - parseErrors.length} parse, ${rules.length - parseErrors.length - notEvaluable.length} compile and run offline; not evaluable (${notEvaluable.length}):\n  ${notEvaluable.join('\n  ')}`);
    expect(rules.length).toBeGreaterThanOrEqual(200);
    expect(parseErrors).toEqual([]);
    const completion = notEvaluable.filter((n) => n.includes('COMPLETION calls an inference endpoint'));
    const others = notEvaluable.filter((n) => !completion.includes(n));
    expect(completion.length).toBe(COMPLETION_RULES);
    expect(others.map((n) => n.slice(0, n.indexOf(':')))).toEqual(Object.keys(NOT_EVALUABLE));
    for (const n of others) expect(n).toContain(NOT_EVALUABLE[n.slice(0, n.indexOf(':'))]);
  });
});
