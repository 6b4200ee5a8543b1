import type { EsqlIndex, Row } from '../commands/stage.ts';
import { esTypeOf, type Column, type EsType, type Scalar, type Value } from '../types.ts';
import { compareScalars, parseDate, parseIp } from '../values.ts';

/** Split on a separator outside `[…]` and `"…"`. */
export function splitOutside(line: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '"' && line[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '[') depth++;
    else if (!quoted && c === ']') depth--;
    if (c === sep && depth === 0 && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Half-precision rounding (IEEE 754 binary16), as a half_float field stores its value. */
function toHalf(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const e = Math.floor(Math.log2(Math.abs(x)));
  const step = 2 ** (Math.max(e, -14) - 10);
  return Math.fround(Math.round(x / step) * step);
}

/** A mapping type's stored precision: float and half_float lose precision; scaled_float rounds to its factor. */
export function storedNumber(mappingType: string, n: number, scalingFactor = 100): number {
  switch (mappingType) {
    case 'float':
      return Math.fround(n);
    case 'half_float':
      return toHalf(n);
    case 'scaled_float':
      return Math.round(n * scalingFactor) / scalingFactor;
    default:
      return n;
  }
}

/** One CSV cell as a typed value; an empty cell or `[]` is null, `[a,b]` a multi-value. */
export function parseCell(raw: string, type: EsType, mappingType = ''): Value {
  const t = raw.trim();
  if (t === '' || t === '[]') return null;
  if (t.startsWith('[') && t.endsWith(']')) {
    const vs = splitOutside(t.slice(1, -1), ',')
      .map((x) => parseScalar(x.trim(), type, mappingType))
      .filter((x): x is Scalar => x !== null);
    return vs.length === 0 ? null : vs.length === 1 ? (vs[0] as Scalar) : vs;
  }
  return parseScalar(t, type, mappingType);
}

export function parseScalar(t: string, type: EsType, mappingType = ''): Scalar | null {
  const s = t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
  if (t === 'null') return null;
  switch (type) {
    case 'integer':
    case 'long':
    case 'unsigned_long':
    case 'double': {
      const n = Number(s);
      return Number.isNaN(n) ? null : storedNumber(mappingType, n);
    }
    case 'boolean':
      return s.toLowerCase() === 'true';
    case 'date':
    case 'date_nanos':
      return /^-?\d+$/.test(s) ? Number(s) : (parseDate(s) ?? null);
    case 'ip':
      return parseIp(s) ?? null;
    default:
      return s;
  }
}

/**
 * Add the mapping's constant_keyword fields (a value held by the mapping, not
 * the documents) as columns of every row.
 */
export function withConstantKeywords(index: EsqlIndex, mapping: unknown): EsqlIndex {
  const props = (mapping as { properties?: Record<string, { type?: string; value?: string }> } | null)?.properties ?? {};
  const consts = Object.entries(props).filter(([name, p]) => p.type === 'constant_keyword' && !index.columns.some((c) => c.name === name));
  if (consts.length === 0) return index;
  return {
    name: index.name,
    columns: [...index.columns, ...consts.map(([name]) => ({ name, type: 'keyword' as const }))],
    rows: index.rows.map((r) => [...r, ...consts.map(([, p]) => p.value ?? null)]),
  };
}

/**
 * A multi-value as ES|QL reads it from doc values: sorted, and for keyword-like
 * fields also deduplicated (text fields come from _source, in document order).
 */
export function docValues(v: Value, type: EsType): Value {
  if (!Array.isArray(v) || type === 'text') return v;
  const sorted = [...(v as Scalar[])].sort((a, b) => compareScalars(a, b, type));
  const dedupe = type === 'keyword' || type === 'ip' || type === 'version';
  const out = dedupe ? sorted.filter((x, i) => i === 0 || x !== sorted[i - 1]) : sorted;
  return out.length === 1 ? (out[0] as Scalar) : out;
}

/**
 * An Elasticsearch csv-spec data file (`name:type` headers, `[a,b]`
 * multi-values, spaces as padding) as an index. Sub-fields such as
 * `languages.long` stay columns of their own, as the mapping exposes them.
 */
export function indexFromCsv(name: string, text: string): EsqlIndex {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('//'));
  const header = lines[0];
  if (header === undefined) return { name, columns: [], rows: [] };
  const heads = splitOutside(header, ',').map((h) => {
    const at = h.lastIndexOf(':');
    const mappingType = at < 0 ? 'keyword' : h.slice(at + 1).trim().toLowerCase();
    return { name: (at < 0 ? h : h.slice(0, at)).trim(), mappingType, type: esTypeOf(mappingType) };
  });
  const columns: Column[] = heads.map((h) => ({ name: h.name, type: h.type }));
  const rows: Row[] = lines.slice(1).map((l) => {
    const cells = splitOutside(l, ',');
    return heads.map((h, i) => docValues(parseCell(cells[i] ?? '', h.type, h.mappingType), h.type));
  });
  return { name, columns, rows };
}
