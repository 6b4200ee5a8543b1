import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { HarnessError } from '../core/diagnostics.ts';
import { jsonEvents } from './json-stream.ts';
import { readAheadThreads } from './evtx/read-ahead.ts';
import { eventFilesIn, parseEvents, streamEvents } from './read-events.ts';

describe('parseEvents', () => {
  test('reads a JSON array and JSON Lines alike', () => {
    expect(parseEvents('a.json', '[{"a":1},{"b":2}]')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseEvents('a.jsonl', '{"a":1}\n\n{"b":2}\n')).toEqual([{ a: 1 }, { b: 2 }]);
  });
  test('names file and line of a bad JSON line', () => {
    try {
      parseEvents('ev.jsonl', '{"a":1}\n{"b":\n');
      expect.fail('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(HarnessError);
      expect((e as HarnessError).diagnostics[0]?.span).toMatchObject({ file: 'ev.jsonl', line: 2 });
    }
  });
  test('rejects non-object events', () => {
    expect(() => parseEvents('x.json', '[1]')).toThrow(/not an object/);
    expect(() => parseEvents('x.jsonl', '"str"')).toThrow(/JSON object/);
  });
});

describe('jsonEvents (streamed)', () => {
  const chunked = (text: string, size: number): string[] => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
  const forms: Record<string, string> = {
    array: '\ufeff[\n  {"a": "x]}\\"{", "n": [1, {"b": 2}]},\n  {"c": 3}\n]\n',
    lines: '{"a": "x]}\\"{", "n": [1, {"b": 2}]}\r\n\n{"c": 3}',
    documents: '{\n  "a": "x]}\\"{",\n  "n": [1, {"b": 2}]\n}\n{\n  "c": 3\n}\n',
  };
  test.each(Object.keys(forms))('%s gives the same events whatever the chunk size', (form) => {
    for (const size of [1, 2, 3, 7, 1000]) {
      expect([...jsonEvents('f', chunked(forms[form]!, size))], `chunks of ${size}`).toEqual([{ a: 'x]}"{', n: [1, { b: 2 }] }, { c: 3 }]);
    }
  });
  test('errors in an array name the line of the element', () => {
    const line = (text: string): number | undefined => {
      try {
        Array.from(jsonEvents('f.json', chunked(text, 4)));
      } catch (e) {
        return (e as HarnessError).diagnostics[0]?.span?.line;
      }
      return undefined;
    };
    expect(line('[\n{"a": 1},\n{"a": tru}\n]')).toBe(3);
    expect(line('[\n{"a": 1},\n2\n]')).toBe(3);
    expect(line('[\n{"a": 1}\n{"b": 1}]')).toBe(3);
    expect(line('[\n{"a": 1},\n')).toBe(3);
  });
  test('exported Windows events ({"Event": …}) become flat Sigma events', () => {
    const [ev] = parseEvents('x.json', JSON.stringify({ Event: { System: { EventID: 4688, Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } } }, EventData: { NewProcessName: 'C:\\x.exe' } } }));
    expect(ev).toMatchObject({ EventID: 4688, Provider_Name: 'Microsoft-Windows-Security-Auditing', NewProcessName: 'C:\\x.exe' });
  });
});

describe('streamEvents over a folder', () => {
  const fixtures = join(import.meta.dirname, 'evtx', 'fixtures');
  test('every event file below it, in path order, as one stream: recordings read ahead give what each file gives alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-folder-'));
    try {
      const recording = join(fixtures, 'wmi-activity-cleareventlog.evtx');
      mkdirSync(join(dir, 'b'));
      copyFileSync(recording, join(dir, 'a.evtx'));
      copyFileSync(recording, join(dir, 'b', 'c.evtx'));
      writeFileSync(join(dir, 'b', 'd.jsonl'), '{"EventID": 1}\n{"EventID": 2}\n');
      writeFileSync(join(dir, 'notes.txt'), 'not events');
      expect(eventFilesIn(dir).map((f) => relative(dir, f))).toEqual(['a.evtx', join('b', 'c.evtx'), join('b', 'd.jsonl')]);
      const alone = [...streamEvents(recording)];
      expect(alone.length).toBeGreaterThan(0);
      expect([...streamEvents(dir)]).toEqual([...alone, ...alone, { EventID: 1 }, { EventID: 2 }]);
      // Leaving early stops the reading thread (its exit is reported asynchronously).
      for (const ev of streamEvents(dir)) if (ev) break;
      for (let i = 0; i < 200 && readAheadThreads() > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(readAheadThreads()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a folder without event files is an error naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-folder-'));
    try {
      writeFileSync(join(dir, 'notes.txt'), 'x');
      expect(() => [...streamEvents(dir)]).toThrow(/holds no event files/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
