import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Event } from '../core/event.ts';
import { compileEql } from '../engines/eql/index.ts';
import { compileKql } from '../engines/kql/index.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { windowsNoiseEvents } from '../generator/noise/windows-events.ts';
import { loadRules } from '../rules/load.ts';
import { benchData, elasticQueries, requireShared } from './corpus.ts';

/**
 * One benchmark workload: `prepare` (untimed) returns the timed `run`, which
 * returns how many units it processed and whether its answer checked out.
 */
export interface Workload {
  readonly name: string;
  readonly unit: string;
  /** Fewer repetitions for very slow workloads (npm test). */
  readonly runs?: number;
  prepare(): () => RunResult;
}

export interface RunResult {
  readonly units: number;
  readonly ok: boolean;
  readonly note?: string;
}

const SIGMA_FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder'];
const EVENTS = 100_000;

/** The example placeholder values the corpus gate uses for SigmaHQ's rules-placeholder. */
function corpusConfig() {
  const placeholders = JSON.parse(readFileSync(join(import.meta.dirname, '../suite/corpus-placeholders.json'), 'utf8')) as Record<string, string[]>;
  delete placeholders['//'];
  return { sigma: { placeholders } };
}

function sigmaCorpus() {
  const config = corpusConfig();
  const root = requireShared('corpus/sigmahq');
  return () => {
    let rules = 0;
    let compiled = 0;
    for (const f of SIGMA_FOLDERS) {
      const set = loadRules(join(root, f));
      const c = compileRuleSet(set, config);
      rules += set.rules.length;
      compiled += c.detectors.size;
    }
    return { rules, compiled };
  };
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
    prepare: () => {
      const load = sigmaCorpus();
      return () => {
        const r = load();
        return { units: r.rules, ok: r.compiled === r.rules, note: `${r.compiled}/${r.rules} compiled` };
      };
    },
  },
  {
    name: 'eql-corpus-parse',
    unit: 'queries/s',
    prepare: () => {
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
    prepare: () => {
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
    prepare: () => {
      const d = benchData('kql');
      return evalWorkload(d.queries.map((q) => { const c = compileKql(q); return (e: Event) => c.matches(e); }), d.events, d.expected);
    },
  },
  {
    name: 'eql-eval',
    unit: 'evals/s',
    prepare: () => {
      const d = benchData('eql_rules');
      return evalWorkload(d.queries.map((q) => { const c = compileEql(q); return (e: Event) => c.matches(e); }), d.events, d.expected);
    },
  },
  {
    name: 'crossfire',
    unit: 'rule-evals/s',
    prepare: () => {
      const root = requireShared('corpus/sigmahq');
      const config = corpusConfig();
      const detectors = SIGMA_FOLDERS.flatMap((f) => [...compileRuleSet(loadRules(join(root, f)), config).detectors.values()]).filter((d) => d.rule.kind === 'event');
      const events = windowsNoiseEvents(EVENTS, 42);
      return () => {
        let alerts = 0;
        for (const e of events) for (const d of detectors) if (d.matches(e)) alerts++;
        return { units: detectors.length * events.length, ok: true, note: `${detectors.length} rules, ${alerts} matches` };
      };
    },
  },
  {
    name: 'crossfire-baseline',
    unit: 'events/s',
    prepare: () => {
      const lines = windowsNoiseEvents(EVENTS, 42).map((e) => JSON.stringify(e));
      return () => {
        let touched = 0;
        for (const l of lines) {
          const e = JSON.parse(l) as Record<string, unknown>;
          for (const k in e) if (e[k] !== undefined) touched++;
        }
        return { units: lines.length, ok: touched > 0 };
      };
    },
  },
  {
    name: 'npm-test',
    unit: 'runs/s',
    runs: 1,
    prepare: () => () => {
      try {
        execSync('npm test', { stdio: 'ignore', cwd: join(import.meta.dirname, '../..') });
        return { units: 1, ok: true };
      } catch {
        return { units: 1, ok: false, note: 'npm test failed' };
      }
    },
  },
];
