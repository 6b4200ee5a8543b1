import type { EsqlResult } from './index.ts';
import type { EsType, Scalar, Value } from './types.ts';
import { formatDate, scalarToString } from './values.ts';

/** A value as the `_query` API's JSON has it: dates as ISO strings, multi-values as arrays. */
function jsonValue(v: Value, type: EsType): unknown {
  if (v === null) return null;
  const one = (s: Scalar): unknown => (type === 'date' || type === 'date_nanos' ? formatDate(s as number) : s);
  return Array.isArray(v) ? (v as Scalar[]).map(one) : one(v as Scalar);
}

/** Exactly the shape of Elasticsearch's `_query` response body, plus `warnings` when there are any. */
export function resultJson(r: EsqlResult): string {
  const body: Record<string, unknown> = {
    columns: r.columns.map((c) => ({ name: c.name, type: c.type })),
    values: r.rows.map((row) => row.map((v, i) => jsonValue(v, r.columns[i]?.type ?? 'keyword'))),
  };
  if (r.warnings.length > 0) body.warnings = r.warnings;
  return JSON.stringify(body);
}

function text(v: Value, type: EsType): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${(v as Scalar[]).map((s) => scalarToString(s, type)).join(', ')}]`;
  return scalarToString(v as Scalar, type);
}

const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** CSV (`format=csv` of the `_query` API): a header of names, then one line per row. */
export function resultCsv(r: EsqlResult): string {
  const lines = [r.columns.map((c) => csvCell(c.name)).join(',')];
  for (const row of r.rows) lines.push(row.map((v, i) => (v === null ? '' : csvCell(text(v, r.columns[i]?.type ?? 'keyword')))).join(','));
  return lines.join('\n');
}

/** The `_query` API's `format=txt` table: padded columns, a dashed rule under the header. */
export function resultText(r: EsqlResult): string {
  const cells = r.rows.map((row) => row.map((v, i) => text(v, r.columns[i]?.type ?? 'keyword')));
  const widths = r.columns.map((c, i) => Math.max(c.name.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (vs: readonly string[]): string => vs.map((v, i) => v.padEnd(widths[i] ?? 0)).join('|');
  const out = [line(r.columns.map((c) => c.name)), widths.map((w) => '-'.repeat(w)).join('+'), ...cells.map(line)];
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join('\n');
}
