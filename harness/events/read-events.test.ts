import { describe, expect, test } from 'vitest';
import { HarnessError } from '../core/diagnostics.ts';
import { parseEvents } from './read-events.ts';

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
