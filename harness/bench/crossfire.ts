import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { crossfireShard, noiseEvents, SAMPLE, type ShardResult } from './crossfire-shard.ts';
import type { RunResult } from './workloads.ts';

/** Indices of the detectors that match, by the naive loop over every detector. */
function naive(detectors: readonly Detector[], e: Event): string {
  const hits: number[] = [];
  for (let i = 0; i < detectors.length; i++) if (detectors[i]!.matches(e)) hits.push(i);
  return hits.join(',');
}

/**
 * A worker thread running a TypeScript module: loader hooks do not reach a worker's entry
 * point, so a small bootstrap registers tsx in the thread first, then imports the module.
 */
function tsWorker(entry: URL): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true });
}

/** A worker thread with its own copy of the shard; resolves once it is ready. */
function startWorker(): Promise<{ worker: Worker; identity: string }> {
  return new Promise((resolve, reject) => {
    const worker = tsWorker(new URL('./crossfire-worker.ts', import.meta.url));
    worker.once('error', reject);
    worker.once('message', (m: { ready: string }) => resolve({ worker, identity: m.ready }));
  });
}

function ask(worker: Worker, from: number, to: number): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (r: ShardResult) => {
      worker.off('error', reject);
      resolve(r);
    });
    worker.postMessage({ from, to });
  });
}

/**
 * Every compiled SigmaHQ event rule over 100,000 synthetic Windows / Sysmon events,
 * through the rule index (runner/rule-index.ts), the events split over every core:
 * the main thread takes the first range, one worker thread each of the others (each
 * thread compiled the corpus and indexed it, untimed, like compiling the rules).
 * The answer is checked against the naive rules × events loop on a sample of the
 * events (computed untimed, in prepare): the same rules must match each sampled event.
 */
export async function crossfireWorkload(): Promise<() => Promise<RunResult>> {
  const threads = Math.max(1, availableParallelism());
  const [shard, ...workers] = await Promise.all([crossfireShard(), ...Array.from({ length: threads - 1 }, startWorker)]);
  const strangers = workers.filter((w) => w.identity !== shard.identity);
  if (strangers.length) throw new Error(`a worker compiled other rules or events: ${strangers[0]!.identity} vs ${shard.identity}`);
  for (const w of workers) w.worker.unref();
  const { detectors, events } = shard;
  const expected: string[] = [];
  for (let i = 0; i < events.length; i += SAMPLE) expected.push(naive(detectors, events[i]!));
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.round((t * events.length) / threads));
  return async () => {
    const pending = workers.map((w, t) => ask(w.worker, bounds[t + 1]!, bounds[t + 2]!));
    const mine = shard.run(bounds[0]!, bounds[1]!);
    const parts = [mine, ...(await Promise.all(pending))];
    const matches = parts.reduce((n, p) => n + p.matches, 0);
    const got = parts.flatMap((p) => p.sampled);
    const wrong = expected.flatMap((e, k) => (got[k] === e ? [] : [k * SAMPLE]));
    const note = `${detectors.length} rules on ${threads} thread(s) (index built in ${shard.indexBuildS.toFixed(2)} s, ${shard.unindexed} unindexed), ${matches} matches; naive loop on ${expected.length} sampled events ${wrong.length ? `differs on ${wrong.length}, e.g. event ${wrong[0]}` : 'agrees'}`;
    return { units: detectors.length * events.length, ok: wrong.length === 0 && got.length === expected.length, note };
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
