import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import type { RunResult } from './workloads.ts';
import { sigmaCorpusLoader } from './sigma-corpus.ts';

const EVENTS = 100_000;
const SEED = 42;
/** Every SAMPLE-th event is also checked against the naive rules × events loop. */
const SAMPLE = 50;

async function noiseEvents(): Promise<Event[]> {
  const { windowsNoiseEvents } = await import('../generator/noise/windows-events.ts');
  return windowsNoiseEvents(EVENTS, SEED);
}

/** Indices of the detectors that match, by the naive loop over every detector. */
function naive(detectors: readonly Detector[], e: Event): string {
  const hits: number[] = [];
  for (let i = 0; i < detectors.length; i++) if (detectors[i]!.matches(e)) hits.push(i);
  return hits.join(',');
}

/**
 * Every compiled SigmaHQ event rule over 100,000 synthetic Windows / Sysmon events,
 * through the rule index (runner/rule-index.ts). The answer is checked against the
 * naive rules × events loop on a sample of the events (computed untimed, in prepare):
 * the same rules must match each sampled event.
 */
export async function crossfireWorkload(): Promise<() => RunResult> {
  const [{ buildRuleIndex }, load, events] = await Promise.all([import('../runner/rule-index.ts'), sigmaCorpusLoader(), noiseEvents()]);
  const detectors = load().detectors.filter((d) => d.rule.kind === 'event');
  const position = new Map(detectors.map((d, i) => [d, i]));
  const sampled: number[] = [];
  const expected: string[] = [];
  for (let i = 0; i < events.length; i += SAMPLE) {
    sampled.push(i);
    expected.push(naive(detectors, events[i]!));
  }
  // Built once per rule set, like compiling the rules: untimed, reported in the note.
  const t0 = performance.now();
  const index = buildRuleIndex(detectors);
  const buildS = (performance.now() - t0) / 1000;
  return () => {
    let matches = 0;
    const got: string[] = [];
    for (let i = 0; i < events.length; i++) {
      const m = index.matching(events[i]!);
      matches += m.length;
      if (i % SAMPLE === 0) got.push(m.map((d) => position.get(d)).join(','));
    }
    const wrong = sampled.filter((_, k) => got[k] !== expected[k]);
    const note = `${detectors.length} rules (index built in ${buildS.toFixed(2)} s, ${index.unindexed} unindexed), ${matches} matches; naive loop on ${sampled.length} sampled events ${wrong.length ? `differs on ${wrong.length}, e.g. event ${wrong[0]}` : 'agrees'}`;
    return { units: detectors.length * events.length, ok: wrong.length === 0, note };
  };
}

/** The floor to compare against: parse the same events from JSON and touch every field once. */
export async function crossfireBaseline(): Promise<() => RunResult> {
  const lines = (await noiseEvents()).map((e) => JSON.stringify(e));
  return () => {
    let touched = 0;
    for (const l of lines) {
      const e = JSON.parse(l) as Record<string, unknown>;
      for (const k in e) if (e[k] !== undefined) touched++;
    }
    return { units: lines.length, ok: touched > 0 };
  };
}
