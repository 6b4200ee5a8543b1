import { existsSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { HarnessError } from './core/diagnostics.ts';
import { isRecord } from './core/event.ts';

/**
 * Project configuration, `harness.config.yml` at the project root:
 * ```yaml
 * sigma:
 *   placeholders: { Administrators: ['Administrator', 'Admin*'] }
 *   timestampFields: ['@timestamp', 'UtcTime']
 * ```
 */
export interface HarnessConfig {
  readonly sigma: {
    readonly placeholders: Readonly<Record<string, readonly string[]>>;
    readonly timestampFields?: readonly string[];
  };
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
  return { sigma: { placeholders, ...(ts !== undefined ? { timestampFields: ts as string[] } : {}) } };
}
