/**
 * EVTX conformance on SigmaHQ's regression data (../shared/evtx, present in CI;
 * skipped with a message without it): every record of every .evtx equals the JSON
 * export beside it, field for field, and each folder's rule fires on the recording
 * exactly as on the export. Prints the counts.
 *
 * Normalisation: none in the comparison. The reader itself drops trailing spaces
 * of string values, as the exports do (see values.ts); numbers are compared as
 * numbers because the exports keep the record's integer types.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Alert } from '../../core/detector.ts';
import { compileRuleSet } from '../../engines/registry.ts';
import { loadRules } from '../../rules/load.ts';
import { jsonEvents } from '../json-stream.ts';
import { flattenEvent, readEvtxFile, type Json } from './index.ts';
import { SHARED } from '../../core/shared-dir.ts';

/** ../shared beside the checkout; RULE_HARNESS_SHARED points elsewhere (a worktree without it). */
const EVTX_DIR = join(SHARED, 'evtx');
const SIGMAHQ = join(SHARED, 'corpus', 'sigmahq');
const present = existsSync(EVTX_DIR) && existsSync(SIGMAHQ);
if (!present) console.warn(`EVTX conformance skipped: ${EVTX_DIR} is absent (it ships beside the project in CI)`);

function evtxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.evtx'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const files = present ? evtxFiles(EVTX_DIR) : [];
const placeholders = present ? (JSON.parse(readFileSync(join(import.meta.dirname, '../../suite/corpus-placeholders.json'), 'utf8')) as Record<string, string[]>) : {};
delete placeholders['//'];

let byId: Map<string, string> | undefined;

/** Rule files of the corpus by id (read once, only when a rule moved from its mirrored path). */
function corpusFileOf(id: string): string {
  byId ??= new Map(
    readdirSync(SIGMAHQ, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.yml'))
      .flatMap((e) => {
        const file = join(e.parentPath, e.name);
        const m = /^id:\s*([0-9a-f-]{36})/m.exec(readFileSync(file, 'utf8'));
        return m ? [[m[1]!, file] as const] : [];
      }),
  );
  return byId.get(id) ?? '';
}

/** The rule of a regression folder: its id from info.yml; its file at the mirrored corpus path, or found by id. */
function ruleOf(evtx: string): { id: string; file: string } {
  const info = readFileSync(join(dirname(evtx), 'info.yml'), 'utf8');
  const id = /rule_metadata:\s*\n\s*-\s*id:\s*([0-9a-f-]{36})/.exec(info)?.[1] ?? '';
  const mirrored = join(SIGMAHQ, `${relative(EVTX_DIR, dirname(evtx))}.yml`);
  return { id, file: existsSync(mirrored) && readFileSync(mirrored, 'utf8').includes(id) ? mirrored : corpusFileOf(id) };
}

const totals = { files: 0, records: 0, equal: 0, rulesFiring: 0 };

describe.skipIf(!present)('EVTX conformance (../shared/evtx)', () => {
  test.each(files.map((f) => [relative(EVTX_DIR, f), f]))('%s equals its JSON export and fires its rule alike', (_name, file) => {
    const exported = [...jsonEvents(file.replace(/\.evtx$/, '.json'), [readFileSync(file.replace(/\.evtx$/, '.json'), 'utf8')])];
    const items = [...readEvtxFile(file)];
    const problems = items.flatMap((i) => (i.kind === 'problem' ? [i.problem] : []));
    const records = items.flatMap((i) => (i.kind === 'record' ? [i.record.json] : []));
    expect(problems).toEqual([]);
    expect(records).toEqual(exported);
    totals.files++;
    totals.records += records.length;
    totals.equal += records.filter((r, i) => JSON.stringify(r) === JSON.stringify(exported[i])).length;

    const rule = ruleOf(file);
    expect(existsSync(rule.file), `rule ${rule.id} at ${rule.file}`).toBe(true);
    const set = loadRules(rule.file);
    const compiled = compileRuleSet(set, { sigma: { placeholders } });
    const detector = compiled.detectors.get(rule.id);
    expect(detector, `rule ${rule.id} compiles`).toBeDefined();
    const fromEvtx: Alert[] = detector!.detect(records.map(flattenEvent));
    const fromJson: Alert[] = detector!.detect(exported.map((e) => flattenEvent(e as Record<string, Json>)));
    expect(fromEvtx).toEqual(fromJson);
    expect(fromEvtx.length, 'SigmaHQ expects the rule to fire on its regression recording').toBeGreaterThan(0);
    totals.rulesFiring++;
  });

  test('counts', () => {
    console.info(`EVTX conformance: ${totals.files} files, ${totals.records} records, ${totals.equal} equal to their JSON export, ${totals.rulesFiring} rules firing alike on EVTX and JSON`);
    expect(totals.files).toBe(files.length);
    expect(totals.equal).toBe(totals.records);
  });
});
