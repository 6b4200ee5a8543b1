/**
 * A small hand-built project for the reports' tests: a few rules with
 * predicate trees, detectors that evaluate and explain them (a minimal
 * evaluator: anchored `*` patterns, case-insensitive), and scenarios with
 * passing, failing and known-gap cases. Independent of the real engines, so
 * report tests stay fast and exercise every outcome.
 */
import type { Constraints, Detector, NotEvaluable, Trace } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { testRule } from '../core/rule-fixture.ts';
import type { Rule } from '../core/rule.ts';
import { STAR, text } from '../engines/common/pattern.ts';
import { and, not, or, type Predicate } from '../engines/common/predicate.ts';
import type { Case, Scenario } from '../scenarios/model.ts';
import { childrenOf, describePredicate } from './describe-predicate.ts';
import type { RunInput } from './run.ts';

export const ends = (field: string, v: string): Predicate => ({ kind: 'match', field, pattern: [STAR, text(v)], mode: 'insensitive' });
export const eq = (field: string, v: string): Predicate => ({ kind: 'match', field, pattern: [text(v)], mode: 'insensitive' });

function evaluate(p: Predicate, e: Event): boolean {
  switch (p.kind) {
    case 'and':
      return p.children.every((c) => evaluate(c, e));
    case 'or':
      return p.children.some((c) => evaluate(c, e));
    case 'not':
      return !evaluate(p.child, e);
    case 'const':
      return p.value;
    case 'match': {
      const v = p.field === null ? undefined : e[p.field];
      if (typeof v !== 'string') return false;
      const re = new RegExp(`^${p.pattern.map((t) => (t.kind === 'text' ? t.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : t.kind === 'star' ? '.*' : '.')).join('')}$`, 'is');
      return re.test(v);
    }
    default:
      return false;
  }
}

function explain(p: Predicate, e: Event): Trace {
  return { label: p.label ?? describePredicate(p), result: evaluate(p, e), children: childrenOf(p).map((c) => explain(c, e)) };
}

/** `constraints` overrides what the detector describes (e.g. a sequence whose steps hold the logic). */
export function fakeDetector(rule: Rule, logic: Predicate, constraints: Constraints = { logic }): Detector {
  return {
    rule,
    detect: (events) => events.flatMap((e, i) => (evaluate(logic, e) ? [{ rule: rule.id, events: [i] }] : [])),
    matches: (e) => evaluate(logic, e),
    // A wrapper node, as the Sigma engine renders `condition: …` above the expression.
    explain: (e) => ({ label: 'condition', result: evaluate(logic, e), children: [explain(logic, e)] }),
    constraints: () => constraints,
  };
}

export function fakeRule(id: string, over: Partial<Rule> = {}): Rule {
  return testRule({ id, title: `Rule ${id}`, source: { file: `rules/sigma/${id}.yml`, line: 1, column: 1 }, logsource: { product: 'windows', category: 'process_creation' }, ...over });
}

export function fakeCase(name: string, expect: Case['expect'], events: Event[], over: Partial<Case> = {}): Case {
  return { name, expect, events, alsoFires: [], tags: [], history: [], indicators: [], line: 3, ...over };
}

const scenario = (rule: string, cases: Case[], file = `scenarios/sigma/${rule}.yml`): Scenario => ({ file, rule, cases, ruleLine: 1 });

/** Five rules: tested (with a mutation score), failing (with a redirected and an unknown technique), known-gap, untested, not evaluable. */
export function fixtureInput(): RunInput {
  const ps = fakeRule('ps', { title: 'PowerShell start', techniques: ['T1059.001'], tactics: ['execution'] });
  const mail = fakeRule('mail', {
    title: 'Mailbox export',
    format: 'elastic',
    language: 'eql',
    techniques: ['T1114.002', 'T1086', 'T4242'],
    tactics: ['collection'],
    source: { file: 'rules/elastic/mail.toml', line: 5, column: 1 },
    tags: ['OS: Windows'],
  });
  const gap = fakeRule('gap', { title: 'Cmd with gap', techniques: ['T1059.003'], tactics: ['execution'] });
  const lonely = fakeRule('lonely', { title: 'Untested dumper', techniques: ['T1003.001'] });
  const esql = fakeRule('esql', { title: 'ES|QL thing', format: 'elastic', language: 'esql', kind: 'esql', techniques: ['T1059.001'] });

  const psLogic = and([or([ends('Image', '\\powershell.exe'), ends('Image', '\\pwsh.exe')], 'selection'), not(eq('User', 'SYSTEM'), 'filter')]);
  const mailLogic = and([ends('Image', '\\powershell.exe'), ends('CommandLine', 'New-MailboxExportRequest')]);
  const gapLogic = and([ends('Image', '\\cmd.exe')], 'selection');
  const lonelyLogic = and([ends('Image', '\\powershell.exe'), ends('TargetImage', '\\lsass.exe')], 'selection');
  const detectors = new Map<string, Detector>([
    ['ps', fakeDetector(ps, psLogic)],
    ['mail', fakeDetector(mail, mailLogic)],
    ['gap', fakeDetector(gap, gapLogic)],
    // Described as a one-step sequence: its indicators come from the aggregate's steps.
    ['lonely', fakeDetector(lonely, lonelyLogic, { logic: { kind: 'const', value: true }, aggregate: { type: 'sequence', steps: [{ logic: lonelyLogic }], groupBy: [] } })],
  ]);
  const notEvaluable: NotEvaluable[] = [{ rule: esql, reason: 'COMPLETION calls an inference endpoint (an LLM) and cannot be evaluated offline' }];
  const psEvent = { Image: 'C:\\Windows\\powershell.exe', User: 'alice', CommandLine: 'powershell -nop' };
  const scenariosByRule = new Map<string, Scenario[]>([
    ['ps', [scenario('ps', [
      fakeCase('powershell started', { kind: 'alert' }, [psEvent]),
      fakeCase('system account is filtered', { kind: 'none' }, [{ ...psEvent, User: 'SYSTEM' }]),
      fakeCase('notepad is not powershell', { kind: 'none' }, [{ Image: 'C:\\Windows\\notepad.exe', User: 'alice' }], { line: 9 }),
    ])]],
    ['mail', [scenario('mail', [
      fakeCase('export request', { kind: 'alert' }, [{ Image: 'C:\\x\\powershell.exe', CommandLine: 'New-MailboxExportRequest', User: 'SYSTEM' }], { alsoFires: [] }),
      fakeCase('wrong expectation', { kind: 'count', alerts: 2 }, [{ Image: 'C:\\x\\powershell.exe', CommandLine: 'New-MailboxExportRequest' }], { alsoFires: ['ps'] }),
    ], 'scenarios/elastic/mail.yml')]],
    ['gap', [scenario('gap', [
      fakeCase('cmd', { kind: 'alert' }, [{ Image: 'C:\\cmd.exe' }]),
      fakeCase('renamed cmd is missed', { kind: 'alert' }, [{ Image: 'C:\\renamed.exe', OriginalFileName: 'Cmd.Exe' }], { knownGap: 'rule keys on Image only' }),
    ])]],
  ]);
  return { rules: [ps, mail, gap, lonely, esql], detectors, notEvaluable, scenariosByRule, silentBases: new Set(), mutationScores: new Map([['ps', 0.75]]) };
}
