/**
 * Pipeline corpus gate: every SigmaHQ rule for a Windows logsource (../shared,
 * present in CI; skipped with a message without it) loads under the built-in
 * ecs_windows pipeline, or is rejected by the pipeline with its reason (each
 * listed); the same for Zeek and network-category rules under ecs_zeek_beats. Every rule that compiles reads only ECS or winlog.event_data.*
 * fields: no Sigma field name is left unmapped. RULE_HARNESS_SHARED points at
 * another ../shared.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { SHARED } from '../core/shared-dir.ts';
import type { Predicate } from '../engines/common/predicate.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { pipelineMappingOf } from '../engines/sigma/index.ts';
import { pipelineOf } from '../engines/sigma/pipeline/builtin.ts';
import { loadRules } from '../rules/load.ts';

const CORPUS = join(SHARED, 'corpus/sigmahq');
const present = existsSync(CORPUS);
if (!present) console.warn(`pipeline corpus gate skipped: ${CORPUS} is absent (it ships beside the project in CI)`);

const FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder'];
const placeholders = JSON.parse(readFileSync(join(import.meta.dirname, 'corpus-placeholders.json'), 'utf8')) as Record<string, string[]>;
delete placeholders['//'];

function fieldsOf(p: Predicate, out: Set<string>): Set<string> {
  if ('children' in p) p.children.forEach((c) => fieldsOf(c, out));
  else if ('child' in p) fieldsOf(p.child, out);
  else if ('field' in p && typeof p.field === 'string') out.add(p.field);
  return out;
}

describe.skipIf(!present)('SigmaHQ Windows rules under ecs_windows', () => {
  test.each(FOLDERS)('every Windows rule in %s loads under ecs_windows or is rejected with the pipeline reason', (folder) => {
    const set = loadRules(join(CORPUS, folder));
    const windows = set.rules.filter((r) => r.kind === 'event' && r.logsource?.product === 'windows');
    const compiled = compileRuleSet({ ...set, rules: windows }, { sigma: { placeholders } }, pipelineOf(['ecs_windows']));
    const rejected = compiled.diagnostics.filter((d) => d.code === 'sigma/pipeline-rejected');
    const other = compiled.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'sigma/pipeline-rejected').map(formatDiagnostic);
    console.info(`sigmahq/${folder}: ${windows.length} Windows rules; under ecs_windows ${compiled.detectors.size} compile, ${rejected.length} rejected by the pipeline`);
    for (const d of rejected) console.info(`  rejected: ${formatDiagnostic(d)}`);
    expect(other, other.join('\n')).toEqual([]);
    expect(compiled.detectors.size + rejected.length).toBe(windows.length);
    const unmapped: string[] = [];
    for (const d of compiled.detectors.values()) {
      expect(pipelineMappingOf(d)?.pipeline).toBe('ecs_windows');
      const bare = [...fieldsOf(d.constraints().logic, new Set())].filter((f) => !f.includes('.'));
      if (bare.length > 0) unmapped.push(`${d.rule.source.file}: ${bare.join(', ')}`);
    }
    expect(unmapped, `fields left in Sigma's names under ecs_windows:\n${unmapped.join('\n')}`).toEqual([]);
  });

  test('every Zeek and network-category rule loads under ecs_zeek_beats or is rejected with the reason', () => {
    const ZEEK_CATEGORIES = new Set(['accounting', 'firewall', 'dns', 'proxy', 'webserver']);
    let total = 0;
    let compiledCount = 0;
    const reasons = new Map<string, number>();
    for (const folder of FOLDERS) {
      const set = loadRules(join(CORPUS, folder));
      const zeek = set.rules.filter((r) => r.kind === 'event' && (r.logsource?.product === 'zeek' || ZEEK_CATEGORIES.has(r.logsource?.category ?? '')));
      const compiled = compileRuleSet({ ...set, rules: zeek }, { sigma: { placeholders } }, pipelineOf(['ecs_zeek_beats']));
      const rejected = compiled.diagnostics.filter((d) => d.code === 'sigma/pipeline-rejected');
      const other = compiled.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'sigma/pipeline-rejected').map(formatDiagnostic);
      expect(other, other.join('\n')).toEqual([]);
      expect(compiled.detectors.size + rejected.length).toBe(zeek.length);
      for (const d of rejected) {
        console.info(`  rejected: ${formatDiagnostic(d)}`);
        const why = d.message.replace(/^.*?: field (\S+) .*$/, 'field-name pattern $1');
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
      }
      total += zeek.length;
      compiledCount += compiled.detectors.size;
    }
    console.info(`sigmahq Zeek/network rules: ${total}; under ecs_zeek_beats ${compiledCount} compile, ${total - compiledCount} rejected (${[...reasons].map(([r, n]) => `${n} × ${r}`).join('; ')})`);
    expect(total).toBeGreaterThan(0);
  });
});
