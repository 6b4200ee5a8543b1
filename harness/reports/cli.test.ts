import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main, USAGE, type ReportIo } from './cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rh-report-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]) {
  let out = '';
  let err = '';
  const io: ReportIo = { out: (s) => void (out += s), err: (s) => void (err += s), now: () => new Date('2026-01-01T00:00:00Z') };
  const code = await main(args, io);
  return { code, out, err };
}

describe('npm run report (arguments)', () => {
  test('--help prints the usage on stdout and exits 0, loading no engine', async () => {
    const r = await run(['--help']);
    expect([r.code, r.out, r.err]).toEqual([0, USAGE, '']);
    expect(USAGE).toContain('--baseline <file>');
  });

  test('an unknown option exits 2 with the usage on stderr', async () => {
    const r = await run(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("Unknown option '--frobnicate'");
    expect(r.err).toContain('usage: npm run report');
  });

  test('a baseline that is missing or not a coverage.json exits 2 naming the file', async () => {
    const missing = await run(['--baseline', join(tmp, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`${join(tmp, 'nope.json')}: cannot read baseline`);
    const other = join(tmp, 'other.json');
    writeFileSync(other, '{"hello": 1}');
    const wrong = await run(['--baseline', other]);
    expect([wrong.code, wrong.err]).toEqual([2, `report: ${other}: not a rule-harness coverage.json (schemaVersion 1 with rules and techniques)\n`]);
  });
});
