import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { defineConfig } from 'vitest/config';
import { RuleShardSequencer } from './harness/suite/shard-sequencer.ts';

// V8 lets a heap grow up to 4× what survived its last full collection before it collects again.
// At corpus size every worker holds every compiled rule (~200 MB live), and that growth put the
// suite at 2.8 GB. Growing by 15 % bounds each worker near what it keeps live, for more CPU spent
// collecting (`npm run bench -- corpus-suite`, 5,830 rules, idle: 20 % → 1,519 MB in 240 s,
// 15 % → 1,495 MB in 273 s, 10 % → 1,405 MB in 309 s). V8 flags are process-wide and read at
// each collection, so this holds for the worker threads started after the config loads
// (NODE_OPTIONS cannot carry this flag). 0 restores V8's own choice.
const growingPercent = process.env.RULE_HARNESS_HEAP_GROWING_PERCENT ?? '15';
if (!/^\d{1,3}$/.test(growingPercent)) throw new Error(`RULE_HARNESS_HEAP_GROWING_PERCENT takes a whole number of percent, 0–999 (got '${growingPercent}')`);
setFlagsFromString(`--heap-growing-percent=${growingPercent}`);

export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Vitest's default leaves one core idle (cpus - 1): on a 2-core CI machine that is one worker.
    maxWorkers: availableParallelism(),
    // Worker threads start and talk faster than forked processes (the suite: 50 s → 44 s on 2 cores).
    pool: 'threads',
    // Test files share a worker's module graph: the engines and the project are imported once per
    // worker, not once per file (import time was a quarter of the run). Tests keep no global state
    // beyond the suite's per-run project cache (harness/suite/suite-project.ts).
    isolate: false,
    // --shard=i/n: the rule suites take every n-th rule in each shard (harness/suite/rule-shard.ts).
    sequence: { sequencer: RuleShardSequencer },
    provide: { ruleShard: null, suiteRun: '' },
    // Watch mode: an edited rule, scenario or config re-runs the suite (the rule suite reads them at run time).
    forceRerunTriggers: ['**/package.json/**', '**/vitest.config.*/**', 'rules/**', 'scenarios/**', 'harness.config.yml'],
    // Vitest's default reporter, readable at corpus size: failed files list only their failed
    // tests, progress lines off a terminal, failures summarised by rule and kind at the end.
    reporters: ['./harness/suite/suite-reporter.ts'],
  },
});
