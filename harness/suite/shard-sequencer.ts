/**
 * Vitest's sequencer with one change to `--shard=i/n`: the rule suites run in
 * every shard and are told which one it is (rule-shard.ts); every other test
 * file is sharded by vitest as usual.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { isRuleSuite as ruleSuite } from './rule-shard.ts';

export class RuleShardSequencer extends BaseSequencer {
  /** Every run gets an id, so the suite's per-worker project cache (suite-project.ts) reloads in watch mode. */
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    this.ctx.provide('suiteRun', String(Date.now()));
    return super.sort(files);
  }

  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    const shard = this.ctx.config.shard;
    this.ctx.provide('ruleShard', shard ? { index: shard.index, count: shard.count } : null);
    const isRuleSuite = (f: TestSpecification): boolean => ruleSuite(relative(this.ctx.config.root, f.moduleId).replaceAll('\\', '/'));
    return [...files.filter(isRuleSuite), ...(await super.shard(files.filter((f) => !isRuleSuite(f))))];
  }
}
