/**
 * Pipeline-file fuzzing: mutated processing pipelines (the built-ins and a
 * file using every transformation family) either load or are rejected with a
 * located HarnessError; one that loads either maps sample rules or rejects them
 * as not evaluable (a LocatedError) — never another exception. Runs a fifth of
 * RULE_HARNESS_FUZZ_RUNS (default 2,500).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { HarnessError } from '../core/diagnostics.ts';
import { LocatedError } from '../core/located-error.ts';
import { compileSigmaRule } from '../engines/sigma/index.ts';
import { composePipelines } from '../engines/sigma/pipeline/apply.ts';
import { parsePipeline } from '../engines/sigma/pipeline/load.ts';
import { ruleOf } from '../engines/sigma/testing.ts';
import { mutatedText } from './fuzz-inputs.ts';

const RUNS = Math.ceil(Number(process.env.RULE_HARNESS_FUZZ_RUNS ?? 2_500) / 5);
const seed = Number(process.env.RULE_HARNESS_SEED ?? 20261123);

const BUILTIN = join(import.meta.dirname, '../engines/sigma/pipeline/builtin');
const EVERY_FAMILY = `name: all
priority: 5
vars: { admins: [root, 'adm-*'] }
transformations:
  - { id: m, type: field_name_mapping, mapping: { Image: [process.executable, x.y], CommandLine: process.command_line } }
  - { type: field_name_prefix, prefix: 'p.', field_name_conditions: [{ type: processing_item_applied, processing_item_id: m }], field_name_cond_not: true }
  - { type: add_condition, conditions: { 'event.category': process, EventID: [1, 2] }, template: true, rule_conditions: { a: { type: logsource, category: process_creation } }, rule_cond_expr: 'not a or a' }
  - { type: replace_string, regex: '\\\\\\\\', replacement: '/', detection_item_conditions: [{ type: match_string, pattern: '.*exe', cond: any }] }
  - { type: case, method: lower }
  - { type: value_placeholders }
  - { type: nest, items: [{ type: set_state, key: k, val: 1 }, { type: drop_detection_item, detection_item_conditions: [{ type: is_null, cond: all }] }] }
  - { type: convert_type, target_type: str, field_name_conditions: [{ type: include_fields, fields: ['p\\\\..*'], mode: re }] }
`;
const seeds = [...readdirSync(BUILTIN).map((f) => readFileSync(join(BUILTIN, f), 'utf8')), EVERY_FAMILY];
const rule = (sel: string) =>
  ruleOf(
    load(`logsource: { product: windows, category: process_creation }
detection:
  sel: { ${sel} }
  other: [ 'keyword', 5 ]
  condition: sel and not other`) as Record<string, unknown>,
  );
const RULES = [
  rule("Image|endswith: '\\\\cmd.exe', CommandLine|contains|windash: ' -c ', Hashes: 'MD5=987B65CD9B9F4E9A1AFD8F8B48CF64A7', Gone: null, ParentImage|fieldref: Image"),
  rule("User|expand: '%admins%', IntegrityLevel|re: '^(High|System)$'"),
];

describe('pipeline fuzzing', () => {
  test(`${RUNS} mutated pipeline files: load or a located error; a loaded one maps the rule or rejects it`, () => {
    const counts = { loaded: 0, rejectedFile: 0, mapped: 0, rejectedRule: 0 };
    const unexpected: string[] = [];
    let slowest = 0;
    // Warm up (module loading, JIT) so the slowest input measures the input, not the first call.
    for (const text of seeds) for (const r of RULES) compileSigmaRule(r, [], { placeholders: { admins: ['root'] }, pipeline: composePipelines([parsePipeline('seed.yml', text)]) });
    fc.assert(
      fc.property(mutatedText(seeds, ':-[]{}\'" \n#*?\\%|.,0aZ'), (text) => {
        const t0 = performance.now();
        try {
          const pipeline = composePipelines([parsePipeline('fuzz.yml', text)]);
          counts.loaded++;
          for (const r of RULES) {
            try {
              compileSigmaRule(r, [], { placeholders: {}, pipeline }).matches({ Image: 'C:\\cmd.exe', process: { executable: 'x' } });
              counts.mapped++;
            } catch (e) {
              if (e instanceof LocatedError) counts.rejectedRule++;
              else unexpected.push(`${JSON.stringify(text).slice(0, 200)} (mapping) → ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
            }
          }
        } catch (e) {
          if (e instanceof HarnessError && e.diagnostics.every((d) => d.span)) counts.rejectedFile++;
          else unexpected.push(`${JSON.stringify(text).slice(0, 200)} → ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
        }
        slowest = Math.max(slowest, performance.now() - t0);
      }),
      { numRuns: RUNS, seed },
    );
    console.info(`fuzz pipelines: ${RUNS} inputs — ${counts.loaded} loaded (rules mapped ${counts.mapped}, rejected ${counts.rejectedRule}), ${counts.rejectedFile} rejected with a located error, ${unexpected.length} unexpected; slowest ${slowest.toFixed(1)} ms`);
    expect(unexpected.slice(0, 10), unexpected.slice(0, 10).join('\n')).toEqual([]);
    expect(slowest).toBeLessThan(1000);
  });
});
