import { describe, expect, test } from 'vitest';
import type { Constraints } from '../core/detector.ts';
import type { Rule } from '../core/rule.ts';
import { testRule } from '../core/rule-fixture.ts';
import { compileElasticRule } from '../engines/elastic/index.ts';
import { STAR, text } from '../engines/common/pattern.ts';
import { and, not, or, type Predicate } from '../engines/common/predicate.ts';
import { loadScenarioText } from '../scenarios/load.ts';
import { evaluate, TWO_VALUED } from './model/evaluate.ts';
import { draftScenario, renderDraft } from './scaffold.ts';

const m = (field: string, t: string, where: 'exact' | 'ends' | 'contains' = 'exact'): Predicate => ({
  kind: 'match',
  field,
  pattern: where === 'exact' ? [text(t)] : where === 'ends' ? [STAR, text(t)] : [STAR, text(t), STAR],
  mode: 'insensitive',
});

function fakeRule(over: Partial<Rule> = {}): Rule {
  return {
    id: 'r-1', title: 'Test rule', format: 'sigma', language: 'sigma', kind: 'event', techniques: [], tactics: [], tags: [], related: [],
    source: { file: 'rules/sigma/test/r.yml', line: 1, column: 1 }, document: 0, body: {}, logsource: { product: 'windows', category: 'process_creation' }, ...over,
  };
}
const det = (logic: Predicate, over: Partial<Rule> = {}, aggregate?: Constraints['aggregate']) => ({ rule: fakeRule(over), constraints: (): Constraints => ({ logic, ...(aggregate ? { aggregate } : {}) }) });

describe('scaffold drafts', () => {
  const logic = and([or([{ ...m('Image', '\\certutil.exe', 'ends'), label: 'sel_img' } as Predicate, { ...m('OriginalFileName', 'CertUtil.exe'), label: 'sel_ofn' } as Predicate]), m('CommandLine', '-urlcache', 'contains'), not(m('ParentImage', '\\ccmexec.exe', 'ends'), 'filter')]);
  const draft = draftScenario(det(logic));

  test('one positive per top-level branch, each satisfying the model', () => {
    const pos = draft.cases.filter((c) => c.role === 'positive');
    expect(pos.map((c) => c.comment)).toEqual([expect.stringContaining('sel_img'), expect.stringContaining('sel_ofn')]);
    for (const c of pos) expect(evaluate(logic, c.events[0]!, TWO_VALUED)).toBe('T');
  });
  test('one near miss per constraint of the first branch, all silent per the model', () => {
    const neg = draft.cases.filter((c) => c.role === 'negative' && c.name.startsWith('near miss'));
    expect(neg.map((c) => c.name)).toEqual(['near miss: Image endswith "\\\\certutil.exe"', 'near miss: CommandLine contains "-urlcache"', 'near miss: not filter']);
    for (const c of neg) expect(evaluate(logic, c.events[0]!, TWO_VALUED)).toBe('F');
  });
  test('renders schema-valid YAML with the $schema line first and a comment on every case', () => {
    const yml = renderDraft({ id: 'r-1', title: 'Test rule', file: 'rules/sigma/test/r.yml' }, 'scenarios/sigma/test/r.yml', 'harness/scenarios/scenario.schema.json', draft);
    expect(yml.split('\n')[0]).toBe('# yaml-language-server: $schema=../../../harness/scenarios/scenario.schema.json');
    const loaded = loadScenarioText('scenarios/sigma/test/r.yml', yml);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.scenario?.cases.length).toBe(draft.cases.length);
    expect(yml.match(/^ {2}# /gm)?.length).toBe(draft.cases.length);
  });
  test('deterministic for a seed', () => {
    expect(draftScenario(det(logic), { seed: 3 })).toEqual(draftScenario(det(logic), { seed: 3 }));
  });
  test('aggregates: threshold copies share the group key; threat_match is declared unsupported', () => {
    const t = draftScenario(det(m('event.action', 'login_failed'), { format: 'elastic', language: 'kuery', kind: 'threshold' }, { type: 'threshold', steps: [], groupBy: ['user.name'], condition: 'count >= 3' }));
    const [pos, neg] = t.cases;
    expect(pos!.events).toHaveLength(3);
    expect(new Set(pos!.events.map((e) => JSON.stringify((e as { user: unknown }).user))).size).toBe(1);
    expect(neg!.events).toHaveLength(2);
    expect(draftScenario(det(m('a', 'b'), { kind: 'threat_match' }, { type: 'threat_match', steps: [], groupBy: [] })).unsupported).toMatch(/indicator/);
  });
  test('sequences: steps in order, 1 s apart, same join key', () => {
    const s = draftScenario(det(or([m('event.category', 'process'), m('event.category', 'network')]), { format: 'elastic', language: 'eql', kind: 'sequence' }, {
      type: 'sequence', groupBy: ['process.entity_id'], windowMs: 60_000,
      steps: [{ logic: and([m('event.category', 'process'), m('process.name', 'x.exe')]) }, { logic: and([m('event.category', 'network'), m('destination.port', '443')]) }],
    }));
    const events = s.cases[0]!.events as { '@timestamp': string; process: { entity_id: string } }[];
    expect(Date.parse(events[1]!['@timestamp']) - Date.parse(events[0]!['@timestamp'])).toBe(1000);
    expect(events[0]!.process.entity_id).toBe(events[1]!.process.entity_id);
    expect(s.cases.map((c) => c.expect.kind)).toEqual(['alert', 'none', 'none']);
  });
});

describe('field-to-field clauses next to the field\'s own clauses', () => {
  const eqlRule = (query: string) => {
    const r = compileElasticRule(testRule({ id: 'f2f', format: 'elastic', language: 'eql', body: { type: 'eql', language: 'eql', query } }));
    if (!r.ok) throw new Error(r.reason);
    return r.detector;
  };
  test.each([
    // The field has its own literals: the other field is set relative to it, not the field overwritten.
    ['process where stringContains(a, "Effect=Allow") and stringContains(a, "AWS=") and not stringContains(a, b)'],
    // Both fields carry the same pattern: one is lengthened so that they stop relating.
    ['process where a : "S-1-5-21*" and b : "S-1-5-21*" and not startswith~(a, b)'],
    ['process where a : "x*" and startswith~(a, b)'],
  ])('%s: the drafted positive fires', (query) => {
    const d = eqlRule(query);
    const draft = draftScenario(d);
    const positives = draft.cases.filter((c) => c.role === 'positive');
    expect(positives.length, draft.notes.join('\n')).toBeGreaterThan(0);
    for (const c of positives) expect(d.detect(c.events).length, JSON.stringify(c.events)).toBeGreaterThan(0);
  });
});

test('a sequence whose steps join on different fields: the drafted positive shares one value across them', () => {
  const r = compileElasticRule(
    testRule({
      id: 'seq',
      format: 'elastic',
      language: 'eql',
      kind: 'sequence',
      body: { type: 'eql', language: 'eql', query: 'sequence with maxspan=1m [process where process.name == "a.exe"] by process.entity_id [network where destination.port == 4444] by process.parent.entity_id' },
    }),
  );
  if (!r.ok) throw new Error(r.reason);
  const draft = draftScenario(r.detector);
  const positive = draft.cases.find((c) => c.role === 'positive');
  expect(positive, draft.notes.join('\n')).toBeDefined();
  expect(r.detector.detect(positive!.events)).toHaveLength(1);
  for (const c of draft.cases.filter((x) => x.role === 'negative')) expect(r.detector.detect(c.events), c.name).toHaveLength(0);
});
