import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../main.ts';
import { captureIo } from '../testing.ts';


const dir = mkdtempSync(join(tmpdir(), 'rh-query-'));
const events = join(dir, 'events.jsonl');
writeFileSync(
  events,
  [
    { '@timestamp': '2024-01-01T00:00:00Z', process: { name: 'cmd.exe', pid: 4 }, source: { ip: '10.0.0.1' } },
    { '@timestamp': '2024-01-01T00:30:00Z', process: { name: 'sh', pid: [5, 6] } },
  ]
    .map((e) => JSON.stringify(e))
    .join('\n'),
);

describe('rule-harness query', () => {
  test('--now without a zone is UTC; a non-ISO --now is refused', async () => {
    const c = captureIo();
    expect(await main(['query', '--query', 'ROW t = NOW()', '--now', '2024-01-01T01:00:00', '--format', 'json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('')).values).toEqual([['2024-01-01T01:00:00.000Z']]);
    const bad = captureIo();
    await expect(main(['query', '--query', 'ROW t = NOW()', '--now', 'Jan 1 2024', '--format', 'json'], bad.io)).resolves.toBe(2);
  });
  test('--format json prints the _query response shape, typed by ECS, with warnings', async () => {
    const c = captureIo();
    const code = await main(['query', '--query', 'FROM logs-* | EVAL age = DATE_DIFF("minute", @timestamp, NOW()), p = process.pid + 1 | KEEP process.name, source.ip, age, p', '--index', `logs-a=${events}`, '--now', '2024-01-01T01:00:00Z', '--format', 'json'], c.io);
    expect(code).toBe(0);
    expect(JSON.parse(c.out.join(''))).toEqual({
      columns: [
        { name: 'process.name', type: 'keyword' },
        { name: 'source.ip', type: 'ip' },
        { name: 'age', type: 'integer' },
        { name: 'p', type: 'long' },
      ],
      values: [
        ['cmd.exe', '10.0.0.1', 60, 5],
        ['sh', null, 30, null],
      ],
      warnings: [
        'Line 1:70: evaluation of [process.pid + 1] failed, treating result as null. Only first 20 failures recorded.',
        'Line 1:70: java.lang.IllegalArgumentException: single-value function encountered multi-value',
      ],
    });
  });
  test('a bad query exits 2 with line and column', async () => {
    const c = captureIo();
    expect(await main(['query', '--query', 'FROM logs-*\n| WHERE', '--index', `logs-a=${events}`], c.io)).toBe(2);
    expect(c.err.join('')).toContain('line 2, column 8');
  });
  test('--mapping types an index from a mapping file (over ECS)', async () => {
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ properties: { custom: { properties: { code: { type: 'long' } } } } }));
    const file = join(dir, 'custom.jsonl');
    writeFileSync(file, `${JSON.stringify({ custom: { code: '42' } })}\n${JSON.stringify({ custom: { code: '7' } })}`);
    const c = captureIo();
    expect(await main(['query', '--query', 'FROM c | WHERE custom.code > 10 | KEEP custom.code', '--index', `c=${file}`, '--mapping', `c=${mapping}`, '--format', 'json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join(''))).toEqual({ columns: [{ name: 'custom.code', type: 'long' }], values: [[42]] });
    const noMapping = captureIo();
    expect(await main(['query', '--query', 'FROM c | WHERE custom.code > 10', '--index', `c=${file}`], noMapping.io)).toBe(2);
    expect(noMapping.err.join('')).toContain('[keyword] so second argument must also be [keyword]');
  });
  test('csv and text formats', async () => {
    const c = captureIo();
    expect(await main(['query', '--query', 'FROM a | STATS n = COUNT(*)', '--index', `a=${events}`, '--format', 'csv'], c.io)).toBe(0);
    expect(c.out.join('\n')).toBe('n\n2');
    const t = captureIo();
    await main(['query', '--query', 'FROM a | STATS n = COUNT(*)', '--index', `a=${events}`], t.io);
    expect(t.out.join('\n')).toBe('n\n-\n2');
  });
});
