import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { load } from 'js-yaml';
import { HarnessError } from './core/diagnostics.ts';
import { isRecord } from './core/event.ts';

/**
 * Project configuration, `harness.config.yml` at the project root:
 * ```yaml
 * sigma:
 *   placeholders: { Administrators: ['Administrator', 'Admin*'] }
 *   timestampFields: ['@timestamp', 'UtcTime']
 * elastic:
 *   mappings:                      # index pattern → Elasticsearch mapping files, layered over ECS
 *     'logs-okta*': [mappings/okta.json]
 *     '*': [mappings/extra.json]
 * ```
 */
export interface HarnessConfig {
  readonly sigma: {
    readonly placeholders: Readonly<Record<string, readonly string[]>>;
    readonly timestampFields?: readonly string[];
  };
  readonly elastic?: ElasticConfig;
}

/** The `elastic` section: which mapping files type the fields of which indices (harness/mapping). */
export interface ElasticConfig {
  /** In file order; mapping file paths are resolved against the config file's folder. */
  readonly mappings: readonly { readonly pattern: string; readonly files: readonly string[] }[];
}

export const CONFIG_FILE = 'harness.config.yml';


function fail(file: string, message: string): never {
  throw new HarnessError([{ code: 'config/invalid', severity: 'error', message, span: { file, line: 1, column: 1 } }]);
}

export function loadConfig(file = CONFIG_FILE): HarnessConfig {
  if (!existsSync(file)) return { sigma: { placeholders: {} } };
  let raw: unknown;
  try {
    raw = load(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(file, `invalid YAML: ${(e as Error).message}`);
  }
  const sigma = isRecord(raw) && isRecord(raw.sigma) ? raw.sigma : {};
  const placeholders: Record<string, string[]> = {};
  if (sigma.placeholders !== undefined) {
    if (!isRecord(sigma.placeholders)) fail(file, 'sigma.placeholders must be a mapping of name → list of values');
    for (const [k, v] of Object.entries(sigma.placeholders)) {
      const list = Array.isArray(v) ? v : [v];
      if (!list.every((x) => typeof x === 'string' || typeof x === 'number')) fail(file, `sigma.placeholders.${k} must be a list of strings`);
      placeholders[k] = list.map(String);
    }
  }
  const ts = sigma.timestampFields;
  if (ts !== undefined && !(Array.isArray(ts) && ts.every((x) => typeof x === 'string'))) fail(file, 'sigma.timestampFields must be a list of field names');
  const elastic = isRecord(raw) && raw.elastic !== undefined ? elasticSection(file, raw.elastic) : undefined;
  return { sigma: { placeholders, ...(ts !== undefined ? { timestampFields: ts as string[] } : {}) }, ...(elastic ? { elastic } : {}) };
}

function elasticSection(file: string, raw: unknown): ElasticConfig {
  if (!isRecord(raw)) fail(file, 'elastic must be a mapping (with `mappings: {<index pattern>: [<mapping file>, …]}`)');
  const m = raw.mappings ?? {};
  if (!isRecord(m)) fail(file, 'elastic.mappings must be a mapping of index pattern → list of Elasticsearch mapping files');
  const dir = dirname(file);
  const mappings = Object.entries(m).map(([pattern, v]) => {
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((x): x is string => typeof x === 'string' && x !== '')) fail(file, `elastic.mappings['${pattern}'] must be a list of mapping file paths`);
    return { pattern, files: list.map((f) => resolve(dir, f)) };
  });
  return { mappings };
}
