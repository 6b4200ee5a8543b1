import { readFileSync } from 'node:fs';
import { HarnessError } from '../core/diagnostics.ts';
import type { DocPath } from '../core/located-error.ts';
import { locateInYaml } from '../rules/yaml-locate.ts';
import { IndexMapping } from './index-mapping.ts';
import { flattenProperties, MappingShapeError } from './parse-properties.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where the `properties` of an Elasticsearch mapping document are, in the
 * shapes users have at hand:
 * - `{"properties": …}` — a mapping (`PUT idx/_mapping` body);
 * - `{"mappings": {"properties": …}}` — a create-index or index template body
 *   (also `{"template": {"mappings": …}}`, a component or composable index template);
 * - `{"<index>": {"mappings": …}}` — a `GET idx/_mapping` response with one index.
 */
export function propertiesPath(doc: unknown): DocPath {
  if (!isRecord(doc)) throw new MappingShapeError('a mapping file must hold a JSON object', []);
  if ('properties' in doc) return ['properties'];
  if (isRecord(doc.mappings)) return ['mappings', 'properties'];
  if (isRecord(doc.template) && isRecord(doc.template.mappings)) return ['template', 'mappings', 'properties'];
  const keys = Object.keys(doc);
  const only = keys.length === 1 ? doc[keys[0] as string] : undefined;
  if (isRecord(only) && isRecord(only.mappings)) return [keys[0] as string, 'mappings', 'properties'];
  throw new MappingShapeError('no field mappings found: expected {"properties": …}, {"mappings": {"properties": …}}, {"template": {"mappings": …}} (a component template) or a GET _mapping response', []);
}

function at(doc: unknown, path: DocPath): unknown {
  let v = doc;
  for (const k of path) v = isRecord(v) ? v[String(k)] : undefined;
  return v;
}

/**
 * Parse an Elasticsearch mapping document (JSON text) into an IndexMapping
 * whose fields name `source`. A malformed document throws a HarnessError
 * naming file, line and column.
 * @example parseMapping('{"properties":{"user":{"properties":{"id":{"type":"keyword"}}}}}', 'm.json').field('user.id')?.mapping.type // 'keyword'
 */
export function parseMapping(text: string, file: string, source = file): IndexMapping {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new HarnessError([{ code: 'mapping/json', severity: 'error', message: `invalid JSON: ${(e as Error).message}`, span: jsonErrorSpan(file, text, e as Error) }]);
  }
  try {
    const path = propertiesPath(doc);
    const props = at(doc, path);
    // A template without properties (dynamic settings only) maps nothing.
    if (props === undefined) return IndexMapping.fromFields([], source);
    return IndexMapping.fromFields(flattenProperties(props, path), source);
  } catch (e) {
    if (!(e instanceof MappingShapeError)) throw e;
    throw new HarnessError([{ code: 'mapping/shape', severity: 'error', message: e.message, span: locateInYaml(file, text, 0, e.path) }]);
  }
}

/** Read and parse a mapping file (parseMapping); an unreadable file is a HarnessError naming it. */
export function loadMappingFile(file: string): IndexMapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new HarnessError([{ code: 'mapping/read', severity: 'error', message: `cannot read mapping file: ${(e as Error).message}`, span: { file, line: 1, column: 1 } }]);
  }
  return parseMapping(text, file);
}

function jsonErrorSpan(file: string, text: string, e: Error): { file: string; line: number; column: number } {
  const m = /position (\d+)/.exec(e.message);
  const pos = m ? Number(m[1]) : 0;
  const before = text.slice(0, pos).split('\n');
  return { file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
