import { describe, expect, test } from 'vitest';
import { parseEsql } from '../engines/esql/parse/parser.ts';
import { countedPatterns } from './esql-plant.ts';

const query = `from logs-* | eval tmp = replace(powershell.file.script_block_text, """\\$\\w+\\[\\-\\s?1\\.\\.""", "🔥")
| eval n = length(tmp) - length(replace(tmp, "🔥", ""))
| where n > 2`;

describe('countedPatterns', () => {
  test('finds the REPLACE + LENGTH match count and the fewest matches the WHERE asks for', () => {
    const [p, ...rest] = countedPatterns(parseEsql(query));
    expect(rest).toEqual([]);
    expect(p?.field).toBe('powershell.file.script_block_text');
    expect(p?.atLeast).toBe(3);
    expect(p?.regex.test('$x[-1..')).toBe(true);
  });
  test('a REPLACE whose result is never counted is not a counted pattern', () => {
    expect(countedPatterns(parseEsql('from logs-* | eval t = replace(a, "x", "y") | where t == "y"'))).toEqual([]);
  });
});
