import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'smol-toml';
import type { Event } from '../core/event.ts';
import { SHARED } from '../core/shared-dir.ts';


export function requireShared(sub: string): string {
  const p = join(SHARED, sub);
  if (!existsSync(p)) throw new Error(`${p} is absent: the benchmark needs ../shared beside the checkout`);
  return p;
}

/** Every `query` of the Elastic corpus's rules in one language, with its file. */
export function elasticQueries(language: 'eql' | 'kuery' | 'esql'): { file: string; query: string }[] {
  const root = requireShared('corpus/elastic');
  const out: { file: string; query: string }[] = [];
  for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((x) => x.endsWith('.toml')).sort()) {
    const doc = parse(readFileSync(join(root, f), 'utf8')) as { rule?: { language?: string; query?: string } };
    if (doc.rule?.language === language && typeof doc.rule.query === 'string') out.push({ file: f, query: doc.rule.query });
  }
  return out;
}

/** A bench workload's queries, events and expected match counts (../shared/bench). */
export function benchData(prefix: 'kql' | 'eql_rules'): { queries: string[]; events: Event[]; expected: number[] } {
  const root = requireShared('bench');
  const queries = (JSON.parse(readFileSync(join(root, `${prefix}_queries.json`), 'utf8')) as { query: string }[]).map((q) => q.query);
  const events = gunzipSync(readFileSync(join(root, `${prefix}_events.jsonl.gz`)))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Event);
  const exp = JSON.parse(readFileSync(join(root, `${prefix}_expected.json`), 'utf8')) as { queries: { matches: number }[] };
  const expected = exp.queries.map((q) => q.matches);
  return { queries, events, expected };
}
