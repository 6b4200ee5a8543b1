import { describe, expect, test } from 'vitest';
import type { Alert, Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { testRule } from '../core/rule-fixture.ts';
import type { LogSource, Rule } from '../core/rule.ts';
import type { Case, Scenario } from '../scenarios/model.ts';
import { crossFire } from './crossfire.ts';
import { logsourcesCompatible } from './logsource.ts';
import { renderFailure } from './render-failure.ts';
import { runCase, satisfies } from './verdict.ts';

function detector(id: string, field: string, value: string, logsource?: LogSource): Detector {
  const rule: Rule = testRule({ id, title: `rule ${id}`, source: { file: `rules/${id}.yml`, line: 1, column: 1 }, ...(logsource ? { logsource } : {}) });
  const hit = (e: Event) => e[field] === value;
  return {
    rule,
    detect: (events) => events.flatMap((e, i): Alert[] => (hit(e) ? [{ rule: id, events: [i] }] : [])),
    matches: hit,
    explain: (e) => ({ label: 'condition: selection', result: hit(e), children: [{ label: `${field}: ${value}`, result: hit(e), detail: `value ${JSON.stringify(e[field])}`, children: [] }] }),
    constraints: () => ({ logic: { kind: 'const', value: true } }),
  };
}

function kase(name: string, expect: Case['expect'], events: Event[], alsoFires: string[] = []): Case {
  return { name, expect, events, alsoFires, tags: [], line: 3, history: [], indicators: [] };
}

describe('verdicts', () => {
  test('alert / none / exact count', () => {
    const a: Alert[] = [{ rule: 'r', events: [0] }];
    expect([satisfies({ kind: 'alert' }, a), satisfies({ kind: 'alert' }, []), satisfies({ kind: 'none' }, []), satisfies({ kind: 'none' }, a)]).toEqual([true, false, true, false]);
    expect([satisfies({ kind: 'count', alerts: 1 }, a), satisfies({ kind: 'count', alerts: 2 }, a)]).toEqual([true, false]);
  });
  test('runCase evaluates the case events in order', () => {
    const d = detector('a', 'Image', 'x.exe');
    expect(runCase(d, kase('c', { kind: 'count', alerts: 2 }, [{ Image: 'x.exe' }, { Image: 'y' }, { Image: 'x.exe' }])).actual).toEqual([{ rule: 'a', events: [0] }, { rule: 'a', events: [2] }]);
  });
});

describe('failure rendering', () => {
  test('shows expectation, a json-diff of alerts, and the explain trace', () => {
    const d = detector('a', 'Image', 'x.exe');
    const c = kase('near miss', { kind: 'none' }, [{ Image: 'x.exe' }]);
    const text = renderFailure(d, c, runCase(d, c), 'scenarios/a.yml');
    expect(text).toContain("rule a [a] — case 'near miss' (scenarios/a.yml:3)");
    expect(text).toContain('expected no alert, got 1 alert');
    expect(text).toContain('+      rule: "a"');
    expect(text).toContain('✓ Image: x.exe — value "x.exe"');
  });
});

describe('cross-fire', () => {
  const owner = detector('owner', 'Image', 'x.exe', { product: 'windows' });
  const other = detector('other', 'Image', 'x.exe', { product: 'windows' });
  const linux = detector('linux', 'Image', 'x.exe', { product: 'linux' });
  const scenario = (cases: Case[]): Scenario => ({ file: 's.yml', rule: 'owner', cases, ruleLine: 1 });

  test('an undeclared alert from another compatible rule is a surprise naming it', () => {
    const r = crossFire(owner, scenario([kase('p', { kind: 'alert' }, [{ Image: 'x.exe' }])]), [owner, other, linux], new Set());
    expect(r.surprises.map((s) => s.rule.rule.id)).toEqual(['other']);
  });
  test('declared in also_fires: accepted; declared but silent: stale', () => {
    const ok = crossFire(owner, scenario([kase('p', { kind: 'alert' }, [{ Image: 'x.exe' }], ['other'])]), [owner, other], new Set());
    expect(ok).toEqual({ surprises: [], stale: [] });
    const stale = crossFire(owner, scenario([kase('n', { kind: 'none' }, [{ Image: 'y' }], ['other'])]), [owner, other], new Set());
    expect(stale.stale.map((s) => s.ruleId)).toEqual(['other']);
  });
  test('incompatible log sources and silent correlation bases are left out', () => {
    const r = crossFire(owner, scenario([kase('p', { kind: 'alert' }, [{ Image: 'x.exe' }])]), [owner, other, linux], new Set(['other']));
    expect(r.surprises).toEqual([]);
  });
  test('log source compatibility', () => {
    expect(logsourcesCompatible({ product: 'windows', category: 'process_creation' }, { product: 'windows', service: 'security' })).toBe(true);
    expect(logsourcesCompatible({ product: 'windows' }, { product: 'linux' })).toBe(false);
    expect(logsourcesCompatible(undefined, { product: 'linux' })).toBe(true);
  });
});
