import { hashOf } from '../core/hash.ts';
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { sigmaCorpusLoader } from './sigma-corpus.ts';

const EVENTS = 100_000;
const SEED = 42;
/** Every SAMPLE-th event is also checked against the naive rules × events loop. */
export const SAMPLE = 50;

export async function noiseEvents(): Promise<Event[]> {
  const { windowsNoiseEvents } = await import('../generator/noise/windows-events.ts');
  return windowsNoiseEvents(EVENTS, SEED);
}

/** What one thread's share of the cross-fire found. */
export interface ShardResult {
  readonly matches: number;
  /** Per sampled event of the range (i % SAMPLE === 0), the matching rules' positions, joined. */
  readonly sampled: readonly string[];
}

/**
 * One thread's copy of the cross-fire: the whole SigmaHQ corpus compiled and
 * indexed, and the same 100,000 generated events (fixed seed), so every thread
 * (the main one and each worker) can take any range of events. `identity` lets
 * the main thread check that all copies are the same rules over the same events.
 */
export interface CrossfireShard {
  readonly detectors: readonly Detector[];
  readonly events: readonly Event[];
  readonly identity: string;
  /** Seconds spent building the rule index. */
  readonly indexBuildS: number;
  readonly unindexed: number;
  run(from: number, to: number): ShardResult;
}

export async function crossfireShard(): Promise<CrossfireShard> {
  const [{ buildRuleIndex }, load, events] = await Promise.all([import('../runner/rule-index.ts'), sigmaCorpusLoader(), noiseEvents()]);
  const detectors = load().detectors.filter((d) => d.rule.kind === 'event');
  const position = new Map(detectors.map((d, i) => [d, i]));
  const t0 = performance.now();
  const index = buildRuleIndex(detectors);
  const indexBuildS = (performance.now() - t0) / 1000;
  const identity = `${detectors.length} rules ${hashOf(...detectors.map((d) => d.rule.id)).toString(16)}, ${events.length} events ${hashOf(JSON.stringify(events[events.length - 1])).toString(16)}`;
  return {
    detectors,
    events,
    identity,
    indexBuildS,
    unindexed: index.unindexed,
    run(from, to) {
      let matches = 0;
      const sampled: string[] = [];
      for (let i = from; i < to; i++) {
        const m = index.matching(events[i]!);
        matches += m.length;
        if (i % SAMPLE === 0) sampled.push(m.map((d) => position.get(d)).join(','));
      }
      return { matches, sampled };
    },
  };
}
