/**
 * Sharding the rule suites over CI machines. Vitest's `--shard=i/n` splits test
 * *files*, but the rule suites (parts/part-N.test.ts, generated.test.ts, and
 * pipelines.test.ts for runs under processing pipelines) are a fixed number of
 * files, however many rules a repository has. So the shard sequencer
 * (shard-sequencer.ts) runs those files in every shard, provides the shard to
 * them, and each takes its own share of the rules: a rule belongs to shard
 * `hash(rule id) mod n`, so adding a rule never moves the others.
 */
import { inject } from 'vitest';
import { hashOf } from '../core/hash.ts';

export interface RuleShard {
  /** 1-based, as in `--shard=i/n`. */
  readonly index: number;
  readonly count: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    ruleShard: RuleShard | null;
  }
}

/** The test files that shard by rule rather than by file (paths relative to the root, forward slashes). */
export function isRuleSuite(file: string): boolean {
  return /^harness\/suite\/(parts\/part-\d+|generated|pipelines)\.test\.ts$/.test(file);
}

export function ruleInShard(ruleId: string, shard: RuleShard | null | undefined): boolean {
  return !shard || hashOf(ruleId) % shard.count === shard.index - 1;
}

/** This run's shard (null or undefined: not sharded, every rule). */
export function currentRuleShard(): RuleShard | null | undefined {
  return inject('ruleShard');
}
