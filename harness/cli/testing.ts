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
