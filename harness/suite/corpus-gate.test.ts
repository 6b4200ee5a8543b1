/**
 * Corpus gate: the whole SigmaHQ repository (in ../shared, present in CI;
 * skipped with a message in a clone without it). Every file loads or is
 * rejected with a located, specific reason; every rule of the maintained
 * folders compiles. Prints the counts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { loadRules } from '../rules/load.ts';
import { SHARED } from '../core/shared-dir.ts';

const CORPUS = join(SHARED, 'corpus/sigmahq');
const ELASTIC = join(SHARED, 'corpus/elastic');
const present = existsSync(CORPUS);
if (!present) console.warn(`corpus gate skipped: ${CORPUS} is absent (it ships beside the project in CI)`);

const COMPILED_FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder'];
const LOADED_ONLY = ['deprecated', 'unsupported', 'rules-compliance', 'rules-dfir'];
const placeholders = JSON.parse(readFileSync(join(import.meta.dirname, 'corpus-placeholders.json'), 'utf8')) as Record<string, string[]>;
delete placeholders['//'];
const config = { sigma: { placeholders } };

describe.skipIf(!present)('SigmaHQ corpus gate', () => {
  test.each(COMPILED_FOLDERS)('every rule in %s loads and compiles', (folder) => {
    const set = loadRules(join(CORPUS, folder));
    const compiled = compileRuleSet(set, config);
    const problems = [...set.diagnostics, ...compiled.diagnostics].filter((d) => d.severity === 'error').map(formatDiagnostic);
    console.info(`sigmahq/${folder}: ${set.texts.size} files, ${set.rules.length} rules (${set.rules.filter((r) => r.kind === 'correlation').length} correlations), ${set.filters.length} filters; compiled ${compiled.detectors.size}, failed ${compiled.notEvaluable.length}`);
    expect(problems, problems.join('\n')).toEqual([]);
    expect(compiled.detectors.size).toBe(set.rules.length);
  });

  test.each(LOADED_ONLY.filter((f) => existsSync(join(CORPUS, f))))('every file in %s loads or is rejected with a specific reason', (folder) => {
    const set = loadRules(join(CORPUS, folder));
    const compiled = compileRuleSet(set, config);
    const all = [...set.diagnostics, ...compiled.diagnostics];
    const rejected = new Set(all.map((d) => d.span?.file));
    console.info(`sigmahq/${folder}: ${set.texts.size} files, ${set.rules.length} rules; compiled ${compiled.detectors.size}; rejected ${compiled.notEvaluable.length} rules in ${rejected.size} files`);
    for (const d of all) console.info(`  ${formatDiagnostic(d)}`); // every rejected rule, with its reason
    // A reason is specific when it is located and coded, and no engine crashed on the input.
    expect(all.filter((d) => !d.span || d.code === 'engine/internal').map(formatDiagnostic)).toEqual([]);
    expect(compiled.detectors.size + compiled.notEvaluable.length).toBe(set.rules.length);
  });
});

describe.skipIf(!existsSync(ELASTIC))('Elastic corpus gate', () => {
  test.each(['rules', 'rules_building_block'])('every TOML in %s loads; every eql, kuery, lucene and esql rule compiles (esql: but COMPLETION and a Lucene `&`)', (folder) => {
    const set = loadRules(join(ELASTIC, folder));
    const compiled = compileRuleSet(set, { sigma: { placeholders: {} } });
    const problems = [...set.diagnostics, ...compiled.diagnostics].map(formatDiagnostic);
    const counts = new Map<string, { rules: number; compiled: number }>();
    for (const r of set.rules) {
      const c = counts.get(r.language) ?? { rules: 0, compiled: 0 };
      counts.set(r.language, { rules: c.rules + 1, compiled: c.compiled + (compiled.detectors.has(r.id) ? 1 : 0) });
    }
    const notEvaluable = new Map<string, string[]>();
    for (const n of compiled.notEvaluable) notEvaluable.set(n.reason, [...(notEvaluable.get(n.reason) ?? []), n.rule.source.file.replace(/^.*corpus\/elastic\//, '')]);
    console.info(`elastic/${folder}: ${set.texts.size} files, ${set.rules.length} rules; per language (compiled/rules): ${[...counts].map(([l, c]) => `${l} ${c.compiled}/${c.rules}`).join(', ')}`);
    // Every rule that is not evaluated is named, with its reason: nothing passes silently.
    for (const [reason, files] of notEvaluable) console.info(`  not evaluable (${files.length}): ${reason}\n    ${files.join('\n    ')}`);
    expect(problems, problems.join('\n')).toEqual([]);
    for (const lang of ['eql', 'kuery', 'lucene']) expect(counts.get(lang)?.compiled ?? 0, lang).toBe(counts.get(lang)?.rules ?? 0);
    // ES|QL rules that call an LLM (COMPLETION) or use Lucene's `&` in RLIKE are not evaluable, by name (esql-rule.corpus.test.ts).
    const esqlOut = compiled.notEvaluable.filter((n) => n.rule.language === 'esql');
    expect(esqlOut.every((n) => /COMPLETION|Lucene regex operator '&'/.test(n.reason)), esqlOut.map((n) => n.reason).join('\n')).toBe(true);
    expect((counts.get('esql')?.compiled ?? 0) + esqlOut.length).toBe(counts.get('esql')?.rules ?? 0);
  });
});
