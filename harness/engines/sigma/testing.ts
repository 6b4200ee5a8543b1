/**
 * Test helpers: build a rule from a detection written as YAML or as data, and
 * compile it, so tests read as tables of detection → event → verdict.
 */
import { load } from 'js-yaml';
import type { Detector } from '../../core/detector.ts';
import type { Rule } from '../../core/rule.ts';
import { compileFilter, compileSigmaRule, type SigmaFilter, type SigmaOptions } from './index.ts';

export const NO_PLACEHOLDERS: SigmaOptions = { placeholders: {} };

export function ruleOf(body: Record<string, unknown>, over: Partial<Rule> = {}): Rule {
  return {
    id: typeof body.id === 'string' ? body.id : '00000000-0000-0000-0000-000000000001',
    title: 'test rule',
    format: 'sigma',
    language: 'sigma',
    kind: 'event',
    techniques: [],
    tactics: [],
    tags: [],
    related: [],
    source: { file: 'rules/test.yml', line: 1, column: 1 },
    document: 0,
    logsource: { product: 'windows', category: 'process_creation' },
    body,
    ...over,
  };
}

/** A detector from a `detection:` section given as YAML text (so escapes read as in a rule file). */
export function detectorOf(detectionYaml: string, opts: SigmaOptions = NO_PLACEHOLDERS, filters: readonly SigmaFilter[] = []): Detector {
  return compileSigmaRule(ruleOf({ detection: load(detectionYaml) as Record<string, unknown> }), filters, opts);
}

/** A one-item rule: `{ selection: { key: value }, condition: selection }`. */
export function itemDetector(key: string, value: unknown, opts: SigmaOptions = NO_PLACEHOLDERS): Detector {
  return compileSigmaRule(ruleOf({ detection: { selection: { [key]: value }, condition: 'selection' } }), [], opts);
}

export function filterOf(yamlText: string, opts: SigmaOptions = NO_PLACEHOLDERS): SigmaFilter {
  return compileFilter(load(yamlText) as Record<string, unknown>, opts);
}

/** Run a compile and return the LocatedError it throws (fails the test if none). */
export function compileError(f: () => unknown): { code: string; message: string; path: readonly (string | number)[]; offset: number | undefined; atKey: boolean } {
  try {
    f();
  } catch (e) {
    const le = e as { code: string; message: string; path: (string | number)[]; offset: number | undefined; atKey: boolean };
    return { code: le.code, message: le.message, path: le.path, offset: le.offset, atKey: le.atKey };
  }
  throw new Error('expected a compile error');
}

