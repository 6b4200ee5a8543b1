import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import type { Event } from '../core/event.ts';
import type { ExpectText } from './corpus.ts';
import { hashOf } from '../core/hash.ts';

/**
 * Counterexamples found by property runs: `generated/counterexamples/<rule id>.json`,
 * replayed by the suite from then on. One file per rule id, and a rule's
 * cases are all checked by the one vitest worker running the variants test
 * file, so no two workers ever write the same file; writes are atomic, so a
 * concurrent reader sees the old or the new file, never half of one.
 */
export interface Counterexample {
  readonly case: string;
  readonly case_fingerprint: string;
  /** Base seed (RULE_HARNESS_SEED) and fast-check's seed / path that found it. */
  readonly base_seed: number;
  readonly seed: number;
  readonly path: string;
  readonly transformations: readonly string[];
  readonly expect: ExpectText;
  readonly events: readonly Event[];
}

export interface CounterexampleFile {
  readonly rule: string;
  readonly rule_file: string;
  readonly counterexamples: readonly Counterexample[];
}

const safeName = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '_');

export function counterexamplePath(outDir: string, ruleId: string): string {
  return join(outDir, 'counterexamples', `${safeName(ruleId)}.json`);
}

/** Add (or replace: same case, same events) a counterexample in its rule's file. */
export function saveCounterexample(outDir: string, rule: { id: string; file: string }, cx: Counterexample): string {
  const path = counterexamplePath(outDir, rule.id);
  const existing = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as CounterexampleFile) : undefined;
  const key = (c: Counterexample) => hashOf(c.case, JSON.stringify(c.events));
  const kept = (existing?.counterexamples ?? []).filter((c) => key(c) !== key(cx));
  const file: CounterexampleFile = { rule: rule.id, rule_file: rule.file, counterexamples: [...kept, cx] };
  writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}

export function readCounterexamples(outDir: string): { readonly file: string; readonly data?: CounterexampleFile; readonly error?: string }[] {
  const dir = join(outDir, 'counterexamples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => {
      const file = join(dir, n);
      try {
        const data = JSON.parse(readFileSync(file, 'utf8')) as CounterexampleFile;
        if (typeof data.rule !== 'string' || !Array.isArray(data.counterexamples)) throw new Error('not a counterexample file (needs rule and counterexamples)');
        return { file, data };
      } catch (e) {
        return { file, error: (e as Error).message };
      }
    });
}
