import { describe, expect, test } from 'vitest';
import { createProgress } from './progress.ts';

describe('progress', () => {
  test('plain lines every tenth of the way when not a terminal', () => {
    const lines: string[] = [];
    const p = createProgress('rules', 40, { write: (t) => lines.push(t) }, () => 0);
    for (let i = 1; i <= 40; i++) p.tick(i, `rule ${i}`);
    p.finish();
    expect(lines.length).toBe(10);
    expect(lines[0]).toBe('rules: 4/40 (10 %) 0.0 s\n');
    expect(lines.at(-1)).toBe('rules: 40/40 (100 %) 0.0 s\n');
  });
  test('a bar redrawn in place on a terminal, at most ten times a second, cleared at the end', () => {
    const writes: string[] = [];
    let now = 0;
    const p = createProgress('rules', 3, { isTTY: true, columns: 80, write: (t) => writes.push(t) }, () => now);
    p.tick(1, 'a.yml');
    now = 50;
    p.tick(2, 'b.yml'); // too soon: not drawn
    now = 200;
    p.tick(3, 'c.yml');
    p.finish();
    expect(writes).toEqual([`\r\x1b[K[${'#'.repeat(10)}${'.'.repeat(20)}] 1/3 rules 0.0 s a.yml`, `\r\x1b[K[${'#'.repeat(30)}] 3/3 rules 0.2 s c.yml`, '\r\x1b[K']);
  });
});
