import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { highWaterMb, runSuite, scaffoldedCorpusRepository } from './corpus-suite.ts';
import type { RunResult } from './workloads.ts';

const ROOT = join(import.meta.dirname, '../..');

/**
 * `corpus-generate`: `rule-harness generate` over a repository of corpus size
 * (prepared as corpus-suite prepares it, untimed), then the replay of what it
 * wrote (generated.test.ts alone). Units: persisted entries; the note gives the
 * replay's time, the size of generated/ and its largest file, which must stay
 * within the cap (`ok` only then, and with a replay free of failures).
 */
function generate(dir: string): Promise<{ code: number | null; peakMb: number; out: string; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'harness/cli/bin.js'), 'generate'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakMb = 0;
    let out = '';
    let tail = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (tail = (tail + b.toString()).slice(-2000)));
    const timer = setInterval(() => (peakMb = Math.max(peakMb, highWaterMb(child.pid!))), 200);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, peakMb, out, tail });
    });
  });
}

const CAP_BYTES = 256 * 1024;

export async function corpusGenerateWorkload(): Promise<() => Promise<RunResult>> {
  const { dir } = scaffoldedCorpusRepository('corpus-generate');
  return async () => {
    const gen = await generate(dir);
    if (gen.code !== 0) return { units: 0, ok: false, note: `generate failed (exit ${gen.code}): ${gen.tail.trim().split('\n').slice(-3).join(' ')}`, peakRssMb: gen.peakMb };
    const sizes = readdirSync(join(dir, 'generated'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).map((f) => statSync(join(dir, 'generated', f)).size);
    const m = /(\d+) variants, (\d+) near misses/.exec(gen.out);
    const entries = m ? Number(m[1]) + Number(m[2]) : 0;
    const t0 = Date.now();
    const report = join(dir, 'replay.json');
    const replay = await runSuite(dir, report, ['harness/suite/generated.test.ts']);
    const replayS = (Date.now() - t0) / 1000;
    let failed = -1;
    try {
      const r = JSON.parse(readFileSync(report, 'utf8')) as { numFailedTests: number };
      failed = r.numFailedTests;
    } catch {
      // no report: counted as a failure below
    }
    const largest = Math.max(0, ...sizes);
    return {
      units: entries,
      ok: failed === 0 && replay.code === 0 && largest <= CAP_BYTES,
      note: `${sizes.length} files, ${(sizes.reduce((a, b) => a + b, 0) / 1e6).toFixed(0)} MB, largest ${(largest / 1024).toFixed(0)} KiB; generate peak ${gen.peakMb} MB; replay ${replayS.toFixed(0)} s (${failed < 0 ? 'no report' : `${failed} failed`}), peak ${replay.peakMb} MB`,
      peakRssMb: gen.peakMb,
    };
  };
}
