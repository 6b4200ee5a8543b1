import { execSync } from 'node:child_process';
import { join } from 'node:path';
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
  prepare(): Promise<() => RunResult | Promise<RunResult>>;
}

export interface RunResult {
  readonly units: number;
  readonly ok: boolean;
  readonly note?: string;
  /** Peak memory of a child process the work ran in (the workload's own process is measured anyway). */
  readonly peakRssMb?: number;
}

/** Check per-query match counts against the reference counts. */
function checkCounts(counts: readonly number[], expected: readonly number[], units: number): RunResult {
  const diffs = counts.flatMap((c, i) => (c === expected[i] ? [] : [`q${i}: ${c} vs ${expected[i]}`]));
  return { units, ok: diffs.length === 0, ...(diffs.length ? { note: diffs.join('; ') } : {}) };
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
    name: 'sigma-corpus-load-ecs',
    unit: 'rules/s',
    prepare: async () => {
      const load = await sigmaCorpusLoader(['ecs_windows']);
      return () => {
        const r = load();
        return { units: r.rules, ok: r.compiled === r.rules, note: `${r.compiled}/${r.rules} compiled under ecs_windows` };
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
      const { compileKql, KqlQuerySet, prepareEvent } = await import('../engines/kql/index.ts');
      const d = benchData('kql');
      const set = new KqlQuerySet(d.queries.map((q) => compileKql(q)));
      // Timed, per event: prepare it (fields resolved on first read, once) and decide all 50 queries,
      // through the (field, literal) index; same answers as compileKql(q).matches(event).
      return () => {
        const counts = new Array<number>(d.queries.length).fill(0);
        const hit = (i: number): void => {
          counts[i] = counts[i]! + 1;
        };
        for (const e of d.events) set.forEachMatch(prepareEvent(e), hit);
        return checkCounts(counts, d.expected, d.queries.length * d.events.length);
      };
    },
  },
  {
    name: 'esql-corpus-parse',
    unit: 'queries/s',
    prepare: async () => {
      const { parseEsql } = await import('../engines/esql/index.ts');
      const qs = elasticQueries('esql');
      return () => {
        for (const q of qs) parseEsql(q.query);
        return { units: qs.length, ok: qs.length > 0 };
      };
    },
  },
  {
    name: 'esql-eval',
    unit: 'rows/s',
    prepare: async () => (await import('./esql-eval.ts')).esqlEvalWorkload(),
  },
  { name: 'esql-rule-compile', unit: 'rules/s', prepare: async () => (await import('./esql-rules.ts')).esqlRuleCompileWorkload() },
  { name: 'esql-rule-matches', unit: 'evals/s', prepare: async () => (await import('./esql-rules.ts')).esqlRuleMatchesWorkload() },
  {
    name: 'eql-eval',
    unit: 'evals/s',
    // Indexed query set; counts checked against the reference with the documented ES differences.
    prepare: async () => (await import('./eql-reference.ts')).eqlEvalWorkload(),
  },
  {
    name: 'eql-eval-floor',
    unit: 'events/s',
    // Not a target: what reading the same 100,000 parsed events costs with no query at all
    // (every field of every event touched once, by for-in, the cheapest way over ~12,000 shapes).
    prepare: async () => {
      const d = benchData('eql_rules');
      const touch = (o: Record<string, unknown>): number => {
        let n = 0;
        for (const k in o) {
          const v = o[k];
          n++;
          if (typeof v === 'object' && v !== null && !Array.isArray(v)) n += touch(v as Record<string, unknown>);
        }
        return n;
      };
      return () => {
        let touched = 0;
        for (const e of d.events) touched += touch(e);
        return { units: d.events.length, ok: touched > 0, note: `${touched} fields touched` };
      };
    },
  },
  {
    name: 'eql-sequences',
    unit: 'rule-events/s',
    // Four corpus sequence rules over 100,000 events, counts checked against a brute force.
    prepare: async () => (await import('./eql-sequences.ts')).eqlSequencesWorkload(),
  },
  { name: 'crossfire', unit: 'rule-evals/s', prepare: crossfireWorkload },
  // Every recording of ../shared/evtx decoded to JSON and flat events.
  { name: 'evtx-read', unit: 'records/s', prepare: async () => (await import('./evtx-read.ts')).evtxReadWorkload() },
  // The same files read on one thread, each opened, read and closed between decoding: what read-ahead overlaps.
  { name: 'evtx-read-sync', unit: 'records/s', prepare: async () => (await import('./evtx-read.ts')).evtxReadSyncWorkload() },
  // The same records decoded from bytes in memory: evtx-read without opening and reading the files.
  { name: 'evtx-decode', unit: 'records/s', prepare: async () => (await import('./evtx-read.ts')).evtxDecodeWorkload() },
  // A generated JSON Lines file (RULE_HARNESS_STREAM_MB, default 256) through match's streaming path, every shipped rule.
  { name: 'events-stream', unit: 'events/s', runs: 1, prepare: async () => (await import('./events-stream.ts')).eventsStreamWorkload() },
  // The same file read whole, as match did before streaming (fails past ~512 MB: V8's longest string).
  { name: 'events-stream-baseline', unit: 'events/s', runs: 1, prepare: async () => (await import('./events-stream.ts')).eventsStreamBaseline() },
  { name: 'crossfire-baseline', unit: 'events/s', prepare: crossfireBaseline },
  {
    name: 'corpus-suite',
    unit: 'cases/s',
    runs: 1,
    prepare: async () => (await import('./corpus-suite.ts')).corpusSuiteWorkload(),
  },
  {
    name: 'corpus-generate',
    unit: 'entries/s',
    runs: 1,
    prepare: async () => (await import('./corpus-generate.ts')).corpusGenerateWorkload(),
  },
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
