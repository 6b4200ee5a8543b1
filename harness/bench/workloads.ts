import { execSync } from 'node:child_process';
import { join } from 'node:path';
import type { Event } from '../core/event.ts';
import { benchData, elasticQueries } from './corpus.ts';
import { crossfireBaseline, crossfireWorkload } from './crossfire.ts';
import { sigmaCorpusLoader } from './sigma-corpus.ts';

/**
 * One benchmark workload: `prepare` (untimed) returns the timed `run`, which
 * returns how many units it processed and whether its answer checked out.
 * Engines are imported inside `prepare`, so a workload whose engine does not
 * load fails alone (and each child process only loads what it runs).
 */
export interface Workload {
  readonly name: string;
  readonly unit: string;
  /** Fewer repetitions for very slow workloads (npm test). */
  readonly runs?: number;
  prepare(): Promise<() => RunResult>;
}

export interface RunResult {
  readonly units: number;
  readonly ok: boolean;
  readonly note?: string;
}

/** Count matches per query over all events; check against the reference counts. */
function evalWorkload(queries: readonly ((e: Event) => boolean)[], events: readonly Event[], expected: readonly number[]): () => RunResult {
  return () => {
    const counts = queries.map((m) => {
      let n = 0;
      for (const e of events) if (m(e)) n++;
      return n;
    });
    const diffs = counts.flatMap((c, i) => (c === expected[i] ? [] : [`q${i}: ${c} vs ${expected[i]}`]));
    return { units: queries.length * events.length, ok: diffs.length === 0, ...(diffs.length ? { note: diffs.join('; ') } : {}) };
  };
}

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'sigma-corpus-load',
    unit: 'rules/s',
    prepare: async () => {
      const load = await sigmaCorpusLoader();
      return () => {
        const r = load();
        return { units: r.rules, ok: r.compiled === r.rules, note: `${r.compiled}/${r.rules} compiled` };
      };
    },
  },
  {
    name: 'eql-corpus-parse',
    unit: 'queries/s',
    prepare: async () => {
      const { compileEql } = await import('../engines/eql/index.ts');
      const qs = elasticQueries('eql');
      return () => {
        for (const q of qs) compileEql(q.query);
        return { units: qs.length, ok: true };
      };
    },
  },
  {
    name: 'kql-corpus-parse',
    unit: 'queries/s',
    prepare: async () => {
      const { compileKql } = await import('../engines/kql/index.ts');
      const qs = elasticQueries('kuery');
      return () => {
        for (const q of qs) compileKql(q.query);
        return { units: qs.length, ok: true };
      };
    },
  },
  {
    name: 'kql-eval',
    unit: 'evals/s',
    prepare: async () => {
      const { compileKql } = await import('../engines/kql/index.ts');
      const d = benchData('kql');
      return evalWorkload(d.queries.map((q) => { const c = compileKql(q); return (e: Event) => c.matches(e); }), d.events, d.expected);
    },
  },
  {
    name: 'eql-eval',
    unit: 'evals/s',
    // Indexed query set; counts checked against the reference with the documented ES differences.
    prepare: async () => (await import('./eql-reference.ts')).eqlEvalWorkload(),
  },
  {
    name: 'eql-sequences',
    unit: 'rule-events/s',
    // Four corpus sequence rules over 100,000 events, counts checked against a brute force.
    prepare: async () => (await import('./eql-sequences.ts')).eqlSequencesWorkload(),
  },
  { name: 'crossfire', unit: 'rule-evals/s', prepare: crossfireWorkload },
  { name: 'crossfire-baseline', unit: 'events/s', prepare: crossfireBaseline },
  {
    name: 'npm-test',
    unit: 'runs/s',
    runs: 1,
    prepare: async () => () => {
      try {
        execSync('npm test', { stdio: 'ignore', cwd: join(import.meta.dirname, '../..') });
        return { units: 1, ok: true };
      } catch {
        return { units: 1, ok: false, note: 'npm test failed' };
      }
    },
  },
];
