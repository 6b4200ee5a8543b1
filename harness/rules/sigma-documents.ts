import type { Diagnostic } from '../core/diagnostics.ts';
import type { LogSource, RelatedRule, Rule } from '../core/rule.ts';
import { attackFromTags } from './attack-tags.ts';
import { locateInYaml } from './yaml-locate.ts';
import type { YamlDocument } from './yaml-documents.ts';
import { isRecord } from '../core/event.ts';

/** A Sigma filter document, kept raw until the engine compiles it. */
export interface FilterSource {
  readonly file: string;
  readonly document: number;
  readonly line: number;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface SigmaFileContent {
  readonly rules: Rule[];
  readonly filters: FilterSource[];
  readonly diagnostics: Diagnostic[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function stringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function logsourceOf(v: unknown): LogSource | undefined {
  if (!isRecord(v)) return undefined;
  const out: { category?: string; product?: string; service?: string } = {};
  for (const k of ['category', 'product', 'service'] as const) {
    const s = str(v[k]);
    if (s !== undefined) out[k] = s.toLowerCase();
  }
  return out;
}

function relatedOf(v: unknown): RelatedRule[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).flatMap((r) => (typeof r.id === 'string' ? [{ id: r.id, type: str(r.type) ?? 'unknown' }] : []));
}

/** A problem in a document, located only now that there is one (the position-keeping parse is slow). */
function located(file: string, text: string, doc: YamlDocument, code: string, message: string, path: (string | number)[], atKey: boolean): Diagnostic {
  return { code, severity: 'error', message, span: locateInYaml(file, text, doc.index, path, { atKey }) };
}

/**
 * Classify each YAML document of a Sigma file (rule, correlation, filter) and
 * build the common Rule model; problems become located diagnostics.
 */
export function sigmaFileContent(file: string, text: string, docs: readonly YamlDocument[]): SigmaFileContent {
  const out: SigmaFileContent = { rules: [], filters: [], diagnostics: [] };
  const fail = (doc: YamlDocument, code: string, message: string, path: (string | number)[] = [], atKey = false): void =>
    void out.diagnostics.push(located(file, text, doc, code, message, path, atKey));
  for (const doc of docs) {
    if (doc.value === null || doc.value === undefined) continue; // empty document between markers
    if (!isRecord(doc.value)) {
      fail(doc, 'sigma/not-a-mapping', `a Sigma document must be a mapping, found ${Array.isArray(doc.value) ? 'a list' : typeof doc.value}`);
      continue;
    }
    const body = doc.value;
    if ('filter' in body) {
      out.filters.push({ file, document: doc.index, line: doc.line, body });
      continue;
    }
    const kind = 'correlation' in body ? 'correlation' : 'detection' in body ? 'event' : undefined;
    if (!kind) {
      if ('action' in body) fail(doc, 'sigma/legacy-action', `'action: ${String(body.action)}' multi-document templates are Sigma 1.x; write each rule in full`, ['action'], true);
      else fail(doc, 'sigma/unknown-document', 'document has none of detection, correlation or filter; it is not a Sigma rule');
      continue;
    }
    const id = str(body.id);
    const title = str(body.title);
    if (!id) {
      fail(doc, 'sigma/missing-id', 'rule has no id; scenarios and correlations refer to rules by id');
      continue;
    }
    if (!title) fail(doc, 'sigma/missing-title', 'rule has no title', ['id'], true);
    if (kind === 'event' && !isRecord(body.logsource)) fail(doc, 'sigma/missing-logsource', 'rule has no logsource mapping', ['detection'], true);
    const tags = stringList(body.tags);
    const attack = attackFromTags(tags);
    const name = str(body.name);
    const status = str(body.status);
    const level = str(body.level);
    const description = str(body.description);
    const logsource = logsourceOf(body.logsource);
    out.rules.push({
      id,
      title: title ?? id,
      format: 'sigma',
      language: 'sigma',
      kind,
      ...(name !== undefined ? { name } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(level !== undefined ? { level } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(logsource !== undefined ? { logsource } : {}),
      techniques: attack.techniques,
      tactics: attack.tactics,
      tags,
      related: relatedOf(body.related),
      source: { file, line: doc.line, column: 1 },
      document: doc.index,
      body,
    });
  }
  return out;
}
