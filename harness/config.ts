import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { load } from 'js-yaml';
import { HarnessError } from './core/diagnostics.ts';
import { isRecord } from './core/event.ts';
import { locateInYaml } from './rules/yaml-locate.ts';

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
  /** Sigma processing pipelines per rule folder or logsource (see PipelineScope); absent: none. */
  readonly pipelines?: readonly PipelineScope[];
  readonly elastic?: ElasticConfig;
}

/** The `elastic` section: which mapping files type the fields of which indices (harness/mapping). */
export interface ElasticConfig {
  /** In file order; mapping file paths are resolved against the config file's folder. */
  readonly mappings: readonly { readonly pattern: string; readonly files: readonly string[] }[];
}

// ---- `pipelines:` section ---------------------------------------------------
/**
 * Which Sigma processing pipelines a rule's scenarios run under:
 * ```yaml
 * pipelines:
 *   - rules: rules/sigma/windows/          # rule files under this folder (optional)
 *     logsource: { product: windows }      # and/or rules of this logsource (optional)
 *     use: [none, ecs_windows]             # built-in names, pipeline files, or none
 * ```
 * The first matching entry applies; a scenario's own `pipeline(s)` key wins over it.
 */
export interface PipelineScope {
  readonly rules?: string;
  readonly logsource?: { readonly category?: string; readonly product?: string; readonly service?: string };
  readonly use: readonly string[];
}

function pipelineScopes(raw: unknown, file: string, text: string): PipelineScope[] {
  const at = (path: (string | number)[], message: string): never => {
    throw new HarnessError([{ code: 'config/invalid', severity: 'error', message, span: locateInYaml(file, text, 0, path) }]);
  };
  if (!Array.isArray(raw)) return at(['pipelines'], 'pipelines must be a list of { rules, logsource, use } entries');
  return raw.map((e: unknown, i) => {
    if (!isRecord(e)) return at(['pipelines', i], 'each pipelines entry must be a mapping with use (and rules and/or logsource)');
    const unknown = Object.keys(e).find((k) => !['rules', 'logsource', 'use'].includes(k));
    if (unknown) at(['pipelines', i, unknown], `unknown key '${unknown}' in pipelines entry (allowed: rules, logsource, use)`);
    const use = typeof e.use === 'string' ? [e.use] : e.use;
    if (!Array.isArray(use) || use.length === 0 || !use.every((u) => typeof u === 'string' && u !== '')) at(['pipelines', i, 'use'], 'use must name one or more pipelines (built-in names, pipeline files, or none)');
    if (e.rules !== undefined && typeof e.rules !== 'string') at(['pipelines', i, 'rules'], 'rules must be a folder (or file) path under the project, e.g. rules/sigma/windows/');
    const ls = e.logsource;
    if (ls !== undefined && !(isRecord(ls) && Object.entries(ls).every(([k, v]) => ['category', 'product', 'service'].includes(k) && typeof v === 'string'))) {
      at(['pipelines', i, 'logsource'], 'logsource must be a mapping of category / product / service to strings');
    }
    return { use: use as string[], ...(typeof e.rules === 'string' ? { rules: e.rules } : {}), ...(isRecord(ls) ? { logsource: ls as PipelineScope['logsource'] } : {}) };
  });
}

/** The pipelines configured for a rule file and logsource (first matching entry), or undefined. */
export function configuredPipelines(config: HarnessConfig, file: string, logsource: { readonly category?: string; readonly product?: string; readonly service?: string } | undefined): readonly string[] | undefined {
  for (const s of config.pipelines ?? []) {
    if (s.rules !== undefined && !(file === s.rules || file.startsWith(s.rules.endsWith('/') ? s.rules : `${s.rules}/`))) continue;
    if (s.logsource && !(['category', 'product', 'service'] as const).every((k) => s.logsource![k] === undefined || s.logsource![k]?.toLowerCase() === logsource?.[k])) continue;
    return s.use;
  }
  return undefined;
}
// -----------------------------------------------------------------------------

export const CONFIG_FILE = 'harness.config.yml';


function fail(file: string, message: string): never {
  throw new HarnessError([{ code: 'config/invalid', severity: 'error', message, span: { file, line: 1, column: 1 } }]);
}

export function loadConfig(file = CONFIG_FILE): HarnessConfig {
  if (!existsSync(file)) return { sigma: { placeholders: {} } };
  let raw: unknown;
  const text = readFileSync(file, 'utf8');
  try {
    raw = load(text);
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
  const pipelines = isRecord(raw) && raw.pipelines !== undefined ? pipelineScopes(raw.pipelines, file, text) : undefined;
  const elastic = isRecord(raw) && raw.elastic !== undefined ? elasticSection(file, raw.elastic) : undefined;
  return { sigma: { placeholders, ...(ts !== undefined ? { timestampFields: ts as string[] } : {}) }, ...(pipelines ? { pipelines } : {}), ...(elastic ? { elastic } : {}) };
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
