import { Ajv, type ErrorObject } from 'ajv';
import { createRequire } from 'node:module';
import type { DocPath } from '../core/located-error.ts';
import { didYouMean } from '../core/suggest.ts';

const require = createRequire(import.meta.url);
const schema = require('./scenario.schema.json') as Record<string, unknown>;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateFn = ajv.compile(schema);

/** A schema violation at a path inside the scenario document. */
export interface SchemaProblem {
  readonly path: DocPath;
  readonly atKey: boolean;
  readonly message: string;
}

const CASE_KEYS = ['name', 'description', 'expect', 'events', 'also_fires', 'tags', 'known_gap', 'history', 'indicators', 'events_for', 'known_gap_under', 'now'];
const TOP_KEYS = ['rule', 'description', 'pipeline', 'pipelines', 'cases', 'variants'];

function toPath(instancePath: string): (string | number)[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(err: ErrorObject, path: (string | number)[]): SchemaProblem {
  const where = path.length ? path.join('.') : 'the file';
  if (err.keyword === 'additionalProperties') {
    const key = String((err.params as { additionalProperty: string }).additionalProperty);
    const known = path.length === 0 ? TOP_KEYS : path[0] === 'cases' && path.length === 2 ? CASE_KEYS : ['runs', 'alerts'];
    return { path: [...path, key], atKey: true, message: `unknown key '${key}' in ${where}${didYouMean(key, known)} (allowed: ${known.join(', ')})` };
  }
  if (err.keyword === 'required') {
    const key = String((err.params as { missingProperty: string }).missingProperty);
    return { path, atKey: false, message: `${where} is missing the required key '${key}'` };
  }
  if (err.keyword === 'not' && path.length === 0) return { path: ['pipelines'], atKey: true, message: "give either 'pipeline' or 'pipelines', not both" };
  if (err.keyword === 'oneOf' || err.keyword === 'enum') {
    return { path, atKey: false, message: `${where} must be 'alert', 'none' or { alerts: N }` };
  }
  return { path, atKey: false, message: `${where} ${err.message ?? 'is invalid'}` };
}

/** Validate against the shipped JSON Schema; one problem per real mistake (oneOf noise folded). */
export function validateScenario(doc: unknown): SchemaProblem[] {
  if (doc === null || doc === undefined) return [{ path: [], atKey: false, message: 'the scenario file is empty: expected a mapping with `rule` and `cases`' }];
  if (validateFn(doc)) return [];
  const errors = validateFn.errors ?? [];
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const err of errors) {
    const path = toPath(err.instancePath);
    // `expect` violations show up once per oneOf branch; report the field once.
    const p = describe(path.at(-1) === 'expect' || err.instancePath.endsWith('/expect') ? { ...err, keyword: 'oneOf' } : err, path);
    const key = `${p.path.join('/')}|${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}
