import type { Command } from '../ast.ts';
import { QuerySyntaxError } from '../../common/query-syntax-error.ts';
import { patternReaches } from '../index-names.ts';
import type { Column, EsType, Value } from '../types.ts';
import { sourceStage, type EsqlIndex, type PlanContext, type Stage } from './stage.ts';

const METADATA: Readonly<Record<string, EsType>> = { _id: 'keyword', _index: 'keyword', _version: 'long', _source: 'keyword', _ignored: 'keyword', _score: 'double', _index_mode: 'keyword' };

function metadataValue(ix: EsqlIndex, m: string, i: number): Value {
  return m === '_index' ? ix.name : m === '_id' ? `${ix.name}-${i}` : m === '_version' ? 1 : m === '_source' ? (ix.source?.(i) ?? null) : null;
}

/** The indices an index expression names: patterns with `*`, exclusions with a leading `-`, `cluster:` prefixes ignored. */
export function resolveIndices(patterns: readonly string[], known: readonly string[]): { matched: string[]; missing: string[] } {
  const chosen = new Set<string>();
  const missing: string[] = [];
  for (const raw of patterns.flatMap((p) => p.split(','))) {
    const p = raw.trim().replace(/^[^:]*:(?!:)/, '');
    if (p.startsWith('-')) {
      const reaches = patternReaches(p.slice(1));
      for (const n of [...chosen]) if (reaches(n)) chosen.delete(n);
      continue;
    }
    const hits = known.filter(patternReaches(p));
    if (hits.length === 0 && !p.includes('*')) missing.push(p);
    for (const h of hits) chosen.add(h);
  }
  return { matched: [...chosen].sort(), missing };
}

/**
 * One index whose columns are in FROM's order (a JSON-event index): its rows
 * flow as they are; METADATA values are set after the (possibly short) row.
 */
function orderedSource(ix: EsqlIndex, metadata: readonly string[]): Stage {
  const width = ix.columns.length;
  const columns = [...ix.columns, ...metadata.map((m) => ({ name: m, type: METADATA[m] as EsType }))];
  return sourceStage(columns, (emit) => {
    let i = 0;
    for (const r of ix.rows) {
      let row = r;
      if (metadata.length > 0) {
        const copy: Value[] = r.slice();
        copy.length = width;
        metadata.forEach((m, k) => (copy[width + k] = metadataValue(ix, m, i)));
        row = copy;
      }
      i++;
      if (!emit(row)) return;
    }
  });
}

/**
 * FROM: the union of the matched indices' columns, sorted by name as
 * Elasticsearch lists mapped fields, then the requested METADATA fields.
 * A column typed differently in two indices is `unsupported` (a type conflict).
 */
export function compileFrom(cmd: Command & { command: 'from' }, ctx: PlanContext): Stage {
  const { matched, missing } = resolveIndices(cmd.indices, ctx.indices.names());
  if (missing.length > 0 || matched.length === 0)
    throw new QuerySyntaxError(`Unknown index [${(missing.length ? missing : cmd.indices).join(',')}]`, ctx.source, cmd.start);
  const indices = matched.map((n) => ctx.indices.get(n)).filter((x): x is EsqlIndex => x !== undefined);
  const types = new Map<string, EsType>();
  for (const ix of indices)
    for (const c of ix.columns) {
      const prev = types.get(c.name);
      types.set(c.name, prev === undefined || prev === c.type ? c.type : prev === 'null' ? c.type : c.type === 'null' ? prev : 'unsupported');
    }
  const names = [...types.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const m of cmd.metadata) if (METADATA[m] === undefined) throw new QuerySyntaxError(`unsupported metadata field [${m}]`, ctx.source, cmd.start);
  const columns: Column[] = [...names.map((name) => ({ name, type: types.get(name) as EsType })), ...cmd.metadata.map((m) => ({ name: m, type: METADATA[m] as EsType }))];
  for (const m of cmd.metadata) if (METADATA[m] === undefined) throw new QuerySyntaxError(`unsupported metadata field [${m}]`, ctx.source, cmd.start);
  const single = indices.length === 1 ? indices[0] : undefined;
  if (single?.ordered) return orderedSource(single, cmd.metadata);
  return sourceStage(columns, (emit) => {
    for (const ix of indices) {
      const pos = names.map((n) => ix.columns.findIndex((c) => c.name === n));
      let i = 0;
      for (const r of ix.rows) {
        const row: Value[] = pos.map((p) => (p < 0 ? null : (r[p] ?? null)));
        for (const m of cmd.metadata) row.push(metadataValue(ix, m, i));
        i++;
        if (!emit(row)) return;
      }
    }
  });
}
