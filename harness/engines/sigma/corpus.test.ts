/**
 * Every detection rule of the maintained SigmaHQ folders compiles with this
 * engine (the full gate, with correlations and filters, is
 * harness/suite/corpus-gate.test.ts). Needs ../shared; skipped without it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadRules } from '../../rules/load.ts';
import { compileSigmaRule } from './index.ts';
import { SHARED } from '../../core/shared-dir.ts';

const CORPUS = join(SHARED, 'corpus', 'sigmahq');
const present = existsSync(CORPUS);
if (!present) console.warn(`sigma corpus compile skipped: ${CORPUS} is absent (it ships beside the project in CI)`);

const FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder'];
const placeholders = JSON.parse(readFileSync(resolve('harness', 'suite', 'corpus-placeholders.json'), 'utf8')) as Record<string, string[]>;
delete placeholders['//'];
// Used by rules-emerging-threats (CVE-2026-54121) but not yet in corpus-placeholders.json.
placeholders.known_cdcs ??= ['DC-01', '10.0.0.10'];

describe.skipIf(!present)('SigmaHQ detection rules compile (needs ../shared)', () => {
  test.each(FOLDERS)('%s', (folder) => {
    const rules = loadRules(join(CORPUS, folder)).rules.filter((r) => r.kind !== 'correlation');
    const failures: string[] = [];
    for (const rule of rules) {
      try {
        compileSigmaRule(rule, [], { placeholders });
      } catch (e) {
        failures.push(`${rule.source.file}: ${(e as Error).message}`);
      }
    }
    console.info(`sigmahq/${folder}: compiled ${rules.length - failures.length}/${rules.length} detection rules`);
    expect(failures).toEqual([]);
    expect(rules.length).toBeGreaterThan(0);
  });
});
