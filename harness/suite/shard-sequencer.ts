/**
 * Vitest's sequencer with one change to `--shard=i/n`: the rule suites run in
 * every shard and are told which one it is (rule-shard.ts); every other test
 * file is sharded by vitest as usual.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { RULE_SUITES } from './rule-shard.ts';

export class RuleShardSequencer extends BaseSequencer {
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    const shard = this.ctx.config.shard;
    this.ctx.provide('ruleShard', shard ? { index: shard.index, count: shard.count } : null);
    const isRuleSuite = (f: TestSpecification): boolean => (RULE_SUITES as readonly string[]).includes(relative(this.ctx.config.root, f.moduleId).replaceAll('\\', '/'));
    return [...files.filter(isRuleSuite), ...(await super.shard(files.filter((f) => !isRuleSuite(f))))];
  }
}
