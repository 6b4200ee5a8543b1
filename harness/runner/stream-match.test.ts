import { describe, expect, test } from 'vitest';
import type { Alert } from '../core/detector.ts';
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
});
