import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeFileAtomic } from './atomic-write.ts';

const SIZE = 8 * 1024 * 1024;
/** A child that rewrites `target` over and over with 8 MB of one letter, asynchronously between writes. */
const writer = (target: string) => `
import { writeFileAtomic } from ${JSON.stringify(new URL('./atomic-write.ts', import.meta.url).pathname)};
let i = 0;
const letters = 'bcdefgh';
const loop = () => { writeFileAtomic(${JSON.stringify(target)}, letters[i++ % letters.length].repeat(${SIZE})); process.stdout.write('w'); setImmediate(loop); };
loop();
`;

async function killMidWrite(signal: NodeJS.Signals): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rh-atomic-'));
  const target = join(dir, 'coverage.json');
  writeFileSync(target, 'a'.repeat(SIZE));
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer(target)], { stdio: ['ignore', 'pipe', 'inherit'], env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))) });
  // Wait for a few completed writes, so the kill lands while another is under way.
  await new Promise<void>((resolve) => {
    let n = 0;
    child.stdout.on('data', (b: Buffer) => {
      n += b.length;
      if (n >= 3) resolve();
    });
  });
  child.kill(signal);
  await new Promise((resolve) => child.on('exit', resolve));
  const content = readFileSync(target, 'utf8');
  expect(content.length).toBe(SIZE);
  expect(new Set(content).size).toBe(1); // one whole version, never a mix
  return dir;
}

describe('writeFileAtomic', () => {
  test('a run killed with SIGTERM mid-write leaves the previous file whole and no temp file', { timeout: 30_000 }, async () => {
    const dir = await killMidWrite('SIGTERM');
    expect(readdirSync(dir)).toEqual(['coverage.json']);
  });
  test('after a SIGKILL the file is whole, and the next write sweeps the dead writer\'s temp file', { timeout: 30_000 }, async () => {
    const dir = await killMidWrite('SIGKILL');
    writeFileAtomic(join(dir, 'coverage.json'), '{}');
    expect(readdirSync(dir)).toEqual(['coverage.json']);
    expect(readFileSync(join(dir, 'coverage.json'), 'utf8')).toBe('{}');
  });
});
