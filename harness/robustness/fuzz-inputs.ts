/**
 * Inputs for the fuzz tests: real queries and rule texts (from ../shared's
 * corpora when present, else the shipped rules) and fast-check arbitraries
 * that mutate them — truncation, deleted / inserted / swapped characters —
 * or build token soup in the language's own vocabulary.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { SHARED } from '../core/shared-dir.ts';
import { discoverRuleFiles } from '../rules/discover.ts';

export const hasShared = existsSync(join(SHARED, 'corpus'));

const readAll = (root: string, ext: RegExp): { file: string; text: string }[] =>
  existsSync(root) ? discoverRuleFiles(root).filter((f) => ext.test(f)).map((file) => ({ file, text: readFileSync(file, 'utf8') })) : [];

/** Rule texts: SigmaHQ and Elastic corpora when present, else the project's own rules. */
export function ruleTexts(kind: 'sigma' | 'elastic'): { file: string; text: string }[] {
  const ext = kind === 'sigma' ? /\.ya?ml$/ : /\.toml$/;
  const corpus = kind === 'sigma' ? join(SHARED, 'corpus/sigmahq/rules') : join(SHARED, 'corpus/elastic/rules');
  const found = readAll(hasShared ? corpus : kind === 'sigma' ? 'rules/sigma' : 'rules/elastic', ext);
  return found.length > 0 ? found : readAll(kind === 'sigma' ? 'rules/sigma' : 'rules/elastic', ext);
}

/** Queries of one language from the Elastic rule texts. */
export function queries(language: 'eql' | 'kuery' | 'lucene' | 'esql'): string[] {
  const out: string[] = [];
  for (const { text } of ruleTexts('elastic')) {
    try {
      const rule = (parse(text) as { rule?: { language?: string; query?: string } }).rule;
      if (rule?.language === language && typeof rule.query === 'string') out.push(rule.query);
    } catch {
      // a TOML file that does not parse is the loader's business, not a query source
    }
  }
  return out;
}

/** One mutation of a text: truncate, delete, insert or swap characters, or duplicate a slice. */
export function mutatedText(seeds: readonly string[], alphabet: string): fc.Arbitrary<string> {
  const base = fc.constantFrom(...(seeds.length > 0 ? seeds : ['']));
  const char = fc.constantFrom(...alphabet.split(''));
  return fc.tuple(base, fc.nat(), fc.nat(), char, fc.integer({ min: 0, max: 4 })).map(([s, i, j, c, op]) => {
    const a = s.length === 0 ? 0 : i % s.length;
    const b = s.length === 0 ? 0 : j % s.length;
    switch (op) {
      case 0:
        return s.slice(0, a);
      case 1:
        return s.slice(0, a) + s.slice(a + 1 + (b % 4));
      case 2:
        return s.slice(0, a) + c + s.slice(a);
      case 3: {
        if (s.length < 2) return s + c;
        const [x, y] = a < b ? [a, b] : [b, a];
        return s.slice(0, x) + s[y] + s.slice(x + 1, y) + s[x] + s.slice(y + 1);
      }
      default:
        return s.slice(0, a) + s.slice(Math.min(a, b), Math.max(a, b)) + s.slice(a);
    }
  });
}

/** Token soup in a query language's vocabulary. */
export function tokenSoup(tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.array(fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 6 })), { maxLength: 30 }).map((ts) => ts.join(' '));
}

export const EQL_TOKENS = ['process', 'any', 'where', 'and', 'or', 'not', '==', '!=', ':', '~', 'in', 'in~', 'like', 'like~', 'regex', 'regex~', '(', ')', '[', ']', ',', '"a*"', '"x"', '?f', 'process.name', '`a b`', '1', '2.5', 'null', 'true', 'sequence', 'by', 'with', 'maxspan=1s', 'until', 'runs=2', '!', 'sample', '|', 'head', 'tail', '5', 'startsWith(', 'cidrMatch(', 'length(', '+', '-', '*', '/', '%', '<', '>=', '"""t"""', '"\\u{41}"', '"\\"'];
export const KQL_TOKENS = ['and', 'or', 'not', 'AND', 'OR', 'NOT', ':', '(', ')', '{', '}', '"a b"', '*', 'a*', 'field', 'x.y', '<', '<=', '>', '>=', '10', '\\', '\\:', '"', 'true', 'now-1d'];
/** Valid ES|QL processing commands over the fuzz index's columns (a, x, process.name, @timestamp). */
export const ESQL_COMMANDS = [
  'WHERE a > 1', 'WHERE process.name LIKE "*.exe" OR a IS NULL', 'WHERE x RLIKE "a.*" AND NOT a IN (1, 2, null)', 'EVAL b = a + 1, c = a / 0, d = a * 2147483647',
  'EVAL s = CONCAT(x, "-", TO_STRING(a)), l = LENGTH(x), u = TO_UPPER(x)', 'EVAL m = MV_COUNT(a), f = MV_FIRST(process.name), k = CASE(a > 1, "big", "small")',
  'STATS n = COUNT(*), v = VALUES(x) BY a', 'STATS c = COUNT(*) WHERE a > 1, s = SUM(a), m = MAX(a)', 'INLINE STATS c = COUNT(*) BY x', 'SORT a DESC NULLS LAST, x',
  'LIMIT 2', 'KEEP a*, x', 'DROP x', 'RENAME a AS z', 'MV_EXPAND a', 'MV_EXPAND process.name', 'DISSECT x "%{p} %{q}"', 'GROK x "%{WORD:w} %{WORD:v}"',
  'EVAL t = DATE_TRUNC(1 hour, @timestamp), n = NOW() - 1 day', 'WHERE KQL("process.name: cmd.exe")', 'WHERE x : "a"', 'EVAL r = REPLACE(x, "[aeiou]", "_"), sp = SPLIT(x, " ")',
];
export const ESQL_TOKENS = ['FROM', 'logs-*', 'ROW', 'a = 1', '|', 'WHERE', 'EVAL', 'STATS', 'BY', 'KEEP', 'DROP', 'RENAME', 'AS', 'SORT', 'DESC', 'NULLS FIRST', 'LIMIT', '10', 'MV_EXPAND', 'DISSECT', 'GROK', '"%{WORD:w} %{x}"', 'INLINE STATS', 'COMPLETION', 'WITH', '{', '}', 'METADATA _id', 'process.name', '`a b`', '@timestamp', '==', '!=', '<', '>=', '+', '-', '*', '/', '%', '::', 'integer', 'AND', 'OR', 'NOT', 'IN', 'LIKE', 'RLIKE', 'IS NULL', '(', ')', '[', ']', ',', ':', '"x*"', '"""t"""', '1.5', '5 minutes', 'null', 'true', 'COUNT(*)', 'VALUES(', 'CASE(', 'TO_LOWER(', 'DATE_TRUNC(', 'NOW()', 'MV_SLICE(', 'REPLACE(', 'KQL("a:b")', '// c\n', '/* c */', '?p', '9223372036854775807', '2147483647'];
export const LUCENE_TOKENS = ['AND', 'OR', 'NOT', '&&', '||', '!', '+', '-', ':', '(', ')', '[', ']', '{', '}', 'TO', '"a b"', '*', '?', 'a*', '/re.*/', 'field', 'x.y', '_exists_', '\\', '~', '^2', '10'];
