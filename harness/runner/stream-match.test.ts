import { describe, expect, test } from 'vitest';
import type { Alert } from '../core/detector.ts';
import type { Rule } from '../core/rule.ts';
import { esqlRuleDetector } from '../engines/elastic/esql-rule.ts';
import { loadProject } from '../project/load-project.ts';
import { StreamMatcher } from './stream-match.ts';

const key = (a: Alert): string => `${a.rule} ${a.events.join(',')}`;

describe('StreamMatcher', () => {
  const project = loadProject();

  test('alerts equal detect over the whole input, for every shipped rule over every scenario event', () => {
    const detectors = [...project.compiled.detectors.values()];
    // Every case's events in scenario order: single-event, sequence, threshold and correlation rules all see them.
    const events = project.scenarios.flatMap((s) => s.cases.flatMap((c) => c.events));
    expect(events.length).toBeGreaterThan(100);
    const batch = detectors.flatMap((d) => d.detect(events)).map(key).sort();
    const m = new StreamMatcher(detectors);
    const streamed = events.flatMap((e, i) => m.push(e, i)).concat(m.finish()).map((h) => key(h.alert)).sort();
    expect(streamed).toEqual(batch);
    expect(batch.length).toBeGreaterThan(0);
  });

  test('keeps only the events stateful rules can use', () => {
    const detectors = [...project.compiled.detectors.values()].filter((d) => d.rule.kind === 'event' && d.rule.language !== 'eql');
    const m = new StreamMatcher(detectors);
    for (let i = 0; i < 1000; i++) m.push({ EventID: i, Image: `C:\\x${i}.exe` }, i);
    expect(m.retainedCount).toBe(0);
  });

  test('an ES|QL rule runs at the latest time of the whole input, not of the events it kept', () => {
    const rule: Rule = { id: 'q', title: 'Q', format: 'elastic', language: 'esql', kind: 'esql', techniques: [], tactics: [], tags: [], related: [], index: [], source: { file: 'q.toml', line: 1, column: 1 }, document: 0, body: { query: 'FROM logs-* | WHERE process.name == "cmd.exe"', from: 'now-9m' } };
    const c = esqlRuleDetector(rule);
    if (!c.ok) throw new Error(c.reason);
    const hit = { '@timestamp': '2024-05-01T10:00:00Z', process: { name: 'cmd.exe' } };
    for (const last of ['2024-05-01T10:05:00Z', '2024-05-01T11:00:00Z']) {
      const events = [hit, { '@timestamp': last, process: { name: 'calc.exe' } }];
      const m = new StreamMatcher([c.detector]);
      const pushed = events.flatMap((e, i) => m.push(e, i));
      expect(m.retainedCount).toBe(1);
      const streamed = pushed.concat(m.finish()).map((h) => key(h.alert));
      expect(streamed, last).toEqual(c.detector.detect(events).map(key));
    }
    expect(c.detector.detect([hit, { '@timestamp': '2024-05-01T11:00:00Z' }])).toEqual([]);
  });
});
