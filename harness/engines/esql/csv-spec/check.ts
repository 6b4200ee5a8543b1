import type { EsqlResult } from '../index.ts';
import { esTypeOf, type EsType, type Scalar, type Value } from '../types.ts';
import { parseCell } from './data-csv.ts';
import { FILES_WITHOUT_WARNING_CHECKS } from './scope.ts';
import type { SpecTest } from './spec-file.ts';

/** Elasticsearch's csv-spec header abbreviations beyond the mapping type names. */
function expectedType(t: string): EsType {
  return esTypeOf(t);
}

function sameScalar(a: Scalar, b: Scalar, type: EsType): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (type !== 'double') return a === b;
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

function sameValue(a: Value, b: Value, type: EsType): boolean {
  if (a === null || b === null) return a === b;
  const xs = Array.isArray(a) ? (a as Scalar[]) : [a as Scalar];
  const ys = Array.isArray(b) ? (b as Scalar[]) : [b as Scalar];
  return xs.length === ys.length && xs.every((x, i) => sameScalar(x, ys[i] as Scalar, type));
}

/** Unescape a `warning:` line written as a regex (null.csv-spec) into a RegExp, or treat it literally. */
function warningMatcher(w: string, regex: boolean): (s: string) => boolean {
  if (regex) {
    const re = new RegExp(`^${w}$`);
    return (s) => re.test(s);
  }
  let re: RegExp | undefined;
  if (/\\[d[\]().+]/.test(w)) {
    try {
      re = new RegExp(`^${w}$`);
    } catch {
      re = undefined;
    }
  }
  return (s) => s === w || (re?.test(s) ?? false);
}

/** Differences between a result and a test's expectations; empty when it passes. */
export function checkResult(t: SpecTest, r: EsqlResult): string[] {
  const problems: string[] = [];
  const want = t.header.map((h) => ({ name: h.name, type: expectedType(h.type) }));
  const got = r.columns.map((c) => `${c.name}:${c.type}`).join(' | ');
  const exp = want.map((c) => `${c.name}:${c.type}`).join(' | ');
  if (got !== exp) problems.push(`columns: expected ${exp}, got ${got}`);
  // An empty cell is the empty string in a keyword/text column (csv-spec writes null as `null`).
  const expectedRows = t.rows.map((cells) =>
    want.map((c, i) => ((cells[i] ?? '').trim() === '' && (c.type === 'keyword' || c.type === 'text') ? '' : parseCell(cells[i] ?? '', c.type))),
  );
  const types = want.map((c) => c.type);
  const rowText = (row: readonly Value[]): string => JSON.stringify(row);
  const actual = r.rows.map((row) => [...row]);
  if (problems.length === 0) {
    if (actual.length !== expectedRows.length) problems.push(`rows: expected ${expectedRows.length}, got ${actual.length}`);
    const matchRow = (a: readonly Value[], e: readonly Value[]): boolean => e.every((v, i) => sameValue(a[i] ?? null, v, types[i] as EsType));
    if (t.ignoreOrder) {
      const left = [...actual];
      for (const e of expectedRows) {
        const k = left.findIndex((a) => matchRow(a, e));
        if (k < 0) {
          problems.push(`expected row not found: ${rowText(e)}`);
          break;
        }
        left.splice(k, 1);
      }
    } else
      for (let i = 0; i < Math.min(actual.length, expectedRows.length); i++)
        if (!matchRow(actual[i] as Value[], expectedRows[i] as Value[])) {
          problems.push(`row ${i}: expected ${rowText(expectedRows[i] as Value[])}, got ${rowText(actual[i] as Value[])}`);
          break;
        }
  }
  if (FILES_WITHOUT_WARNING_CHECKS.has(t.file)) return problems;
  const matchers = [...t.warnings.map((w) => warningMatcher(w, false)), ...t.warningRegexes.map((w) => warningMatcher(w, true))];
  const texts = [...t.warnings, ...t.warningRegexes];
  for (const [i, m] of matchers.entries()) if (!r.warnings.some(m)) problems.push(`missing warning: ${texts[i] ?? ''}`);
  for (const w of r.warnings) if (!matchers.some((m) => m(w))) problems.push(`unexpected warning: ${w}`);
  return problems;
}
