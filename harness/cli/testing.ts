import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from './command.ts';

/**
 * An Io that keeps what a command prints, for CLI tests.
 * @example const { io, out } = captureIo(); await main(['lint'], io); expect(out.join('\n')).toContain('0 errors');
 */
export function captureIo(): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

/**
 * A fresh temporary directory holding one rule file, for CLI tests.
 * @example const { dir, file } = tempRule('rh-match-', 'wmi.yml', ruleText);
 */
export function tempRule(prefix: string, name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}
