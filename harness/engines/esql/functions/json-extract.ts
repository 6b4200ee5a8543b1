import { fail } from './define.ts';

/**
 * JSON_EXTRACT(json, path): the value at a dotted/bracketed path (`a.b[0].c`,
 * optionally `$.`-prefixed); strings come back bare, other values as JSON text.
 * A missing path is null with a warning, as in Elasticsearch.
 */
export function jsonExtract(json: string, path: string): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return fail(`java.lang.IllegalArgumentException: invalid JSON input`);
  }
  let p = path.trim();
  if (p.startsWith('$')) p = p.slice(1);
  if (p.startsWith('.')) p = p.slice(1);
  const steps: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g;
  for (const m of p.matchAll(re)) {
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push(m[3] ?? m[4] ?? '');
  }
  let cur: unknown = doc;
  for (const s of steps) {
    if (typeof s === 'number' && Array.isArray(cur) && s < cur.length) cur = cur[s];
    else if (typeof s === 'string' && cur !== null && typeof cur === 'object' && !Array.isArray(cur) && s in cur) cur = (cur as Record<string, unknown>)[s];
    else return fail(`java.lang.IllegalArgumentException: path [${path}] does not exist`);
  }
  if (cur === null) return null;
  return typeof cur === 'string' ? cur : JSON.stringify(cur);
}
