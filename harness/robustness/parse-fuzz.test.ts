/**
 * Parser fuzzing: random and mutated inputs for every language must either
 * parse or raise the harness's typed error — never another exception, never
 * more than a second per input. Counts are printed. RULE_HARNESS_FUZZ_RUNS
 * sets the runs per language (default 2,500, so `npm test` stays quick; CI runs
 * 10,000: .ci/run); RULE_HARNESS_SEED the seed.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LocatedError } from '../core/located-error.ts';
import { QuerySyntaxError } from '../engines/common/query-syntax-error.ts';
import { compileEql } from '../engines/eql/index.ts';
import { compileEsql, indexResolver, NotEvaluableError } from '../engines/esql/index.ts';
import { compileKql } from '../engines/kql/index.ts';
import { compileLucene } from '../engines/lucene/index.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { compileSigmaRule } from '../engines/sigma/index.ts';
import { loadRuleText } from '../rules/load.ts';
import { ESQL_COMMANDS, ESQL_TOKENS, EQL_TOKENS, KQL_TOKENS, LUCENE_TOKENS, mutatedText, queries, ruleTexts, tokenSoup } from './fuzz-inputs.ts';
import { testRule } from '../core/rule-fixture.ts';

const RUNS = Number(process.env.RULE_HARNESS_FUZZ_RUNS ?? 2_500);
const seed = Number(process.env.RULE_HARNESS_SEED ?? 20261123);

/** Run `body` on every input; collect unexpected exceptions and the slowest input. */
function fuzz(name: string, inputs: fc.Arbitrary<string>, body: (input: string) => void, isTyped: (e: unknown) => boolean) {
  let parsed = 0;
  let rejected = 0;
  let slowest = { ms: 0, input: '' };
  const unexpected: string[] = [];
  fc.assert(
    fc.property(inputs, (input) => {
      const t0 = performance.now();
      try {
        body(input);
        parsed++;
      } catch (e) {
        if (isTyped(e)) rejected++;
        else unexpected.push(`${JSON.stringify(input).slice(0, 200)} → ${(e as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(e)}`);
      }
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { ms, input };
    }),
    { numRuns: RUNS, seed },
  );
  console.info(`fuzz ${name}: ${parsed + rejected + unexpected.length} inputs — ${parsed} parsed, ${rejected} rejected with a located error, ${unexpected.length} unexpected; slowest ${slowest.ms.toFixed(1)} ms`);
  expect(unexpected.slice(0, 10), unexpected.slice(0, 10).join('\n')).toEqual([]);
  expect(slowest.ms, `slowest input: ${JSON.stringify(slowest.input).slice(0, 300)}`).toBeLessThan(1000);
  expect(parsed + rejected).toBe(RUNS);
}

const typedQueryError = (e: unknown) => e instanceof QuerySyntaxError;

describe('parser fuzzing', () => {
  test('EQL', () => {
    fuzz('eql', fc.oneof(mutatedText(queries('eql'), 'abc()[]"\\:=!~|*? \n'), tokenSoup(EQL_TOKENS)), (q) => void compileEql(q), typedQueryError);
  });
  test('KQL', () => {
    fuzz('kuery', fc.oneof(mutatedText(queries('kuery'), 'abc(){}"\\:*<>= \n'), tokenSoup(KQL_TOKENS)), (q) => void compileKql(q), typedQueryError);
  });
  test('ES|QL (parsed, compiled and run over a small index)', () => {
    const index = {
        name: 'logs-x',
        columns: [
          { name: '@timestamp', type: 'date' },
          { name: 'a', type: 'integer' },
          { name: 'process.name', type: 'keyword' },
          { name: 'x', type: 'keyword' },
        ],
        rows: [
          [0, 1, 'cmd.exe', 'a b'],
          [1000, null, ['a', 'b'], null],
          [2000, 2147483647, 'x', 'GET /x 200'],
        ],
      } as const;
    // The index answers to the query's first index pattern, so mutated corpus queries get past FROM.
    const run = (q: string): void => {
      const c = compileEsql(q);
      const from = c.ast.commands[0];
      const name = from?.command === 'from' ? (from.indices[0] ?? 'x').replace(/\*/g, 'x').replace(/^-/, '') : 'x';
      c.run(indexResolver([{ ...index, name }]), { now: 0 });
    };
    const typed = (e: unknown): boolean => e instanceof QuerySyntaxError || e instanceof NotEvaluableError;
    // Pipelines of valid commands reach the evaluator; mutated corpus queries and token soup exercise the parser's errors.
    const commands = fc.constantFrom(...ESQL_COMMANDS);
    const pipelines = fc.tuple(fc.constantFrom('FROM logs-*', 'FROM logs-* METADATA _id, _index', 'ROW a = [1, 2], x = "p q"'), fc.array(commands, { maxLength: 6 })).map(([s, cs]) => [s, ...cs].join(' | '));
    fuzz('esql', fc.oneof(pipelines, mutatedText(queries('esql'), 'abc()[]{}"`\\:=!<>|*?,.% \n'), tokenSoup(ESQL_TOKENS)), run, typed);
  });
  test('Lucene', () => {
    fuzz('lucene', fc.oneof(mutatedText(queries('lucene'), 'abc()[]{}"\\:*?/~^+-! \n'), tokenSoup(LUCENE_TOKENS)), (q) => void compileLucene(q), typedQueryError);
  });

  test('Sigma conditions and detection structures', () => {
    const MODS = ['contains', 'startswith', 'endswith', 'all', 'base64', 'base64offset', 'utf16le', 'wide', 'windash', 're', 'i', 'cidr', 'exists', 'fieldref', 'gt', 'lte', 'cased', 'expand', 'containz', ''];
    const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('*', '?', '\\', '\\*', 'a*b?', '10.0.0.0/8', '(a+)+$', '[', '%x%'), fc.integer(), fc.boolean(), fc.constant(null), fc.double());
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 2 }));
    const key = fc.tuple(fc.constantFrom('Image', 'CommandLine', 'a.b', '', 'x y'), fc.array(fc.constantFrom(...MODS), { maxLength: 3 })).map(([f, m]) => [f, ...m].join('|'));
    const selection = fc.oneof(fc.dictionary(key, value, { maxKeys: 3 }), fc.array(fc.oneof(scalar, fc.dictionary(key, value, { maxKeys: 2 })), { maxLength: 3 }), scalar);
    const condition = fc.oneof(tokenSoup(['sel', 'sel*', 'filter', 'and', 'or', 'not', '1 of', 'all of', 'any of', 'them', '(', ')', '|', 'count()', '>']), fc.constantFrom('sel', 'sel and not filter', '1 of sel*'), fc.integer(), fc.array(fc.constantFrom('sel', 'filter'), { maxLength: 2 }));
    const detection = fc.record({ sel: selection, filter: selection, condition });
    let n = 0;
    const asText = detection.map((d) => JSON.stringify(d));
    fuzz('sigma detection', asText, (json) => {
      n++;
      const body = { title: 'fuzz', id: `fuzz-${n}`, logsource: { product: 'windows' }, detection: JSON.parse(json) as unknown };
      const rule = testRule({ id: `fuzz-${n}`, title: 'fuzz', source: { file: 'fuzz.yml', line: 1, column: 1 }, body });
      const d = compileSigmaRule(rule, [], { placeholders: {} });
      // Compiled rules must also evaluate without throwing.
      d.detect([{ Image: 'C:\\a.exe', CommandLine: 'x', a: { b: [1, 'q'] } }, {}]);
    }, (e) => e instanceof LocatedError);
  });

  test('Sigma and Elastic rule files (mutated text): every problem is a located diagnostic', () => {
    const files = [...ruleTexts('sigma').slice(0, 400), ...ruleTexts('elastic').slice(0, 200)];
    const arb = fc.tuple(fc.constantFrom(...files), fc.nat()).chain(([f]) => mutatedText([f.text], 'ab:-|[]{}"\' \t\n\\#').map((text) => JSON.stringify({ file: f.file, text })));
    fuzz('rule files', arb, (json) => {
      const { file, text } = JSON.parse(json) as { file: string; text: string };
      const loaded = loadRuleText(file, text);
      const compiled = compileRuleSet({ rules: loaded.rules, filters: loaded.filters, diagnostics: loaded.diagnostics, texts: new Map([[file, text]]) }, { sigma: { placeholders: {} } });
      const bad = [...loaded.diagnostics, ...compiled.diagnostics].filter((d) => !d.span || d.code === 'engine/internal');
      if (bad.length > 0) throw new Error(`unlocated or internal diagnostic: ${bad[0]!.message}`);
    }, () => false);
  });
});
