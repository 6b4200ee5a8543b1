import { TomlError, parse } from 'smol-toml';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Rule, RuleKind, RuleLanguage } from '../core/rule.ts';
import { isRecord } from '../core/event.ts';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

const LANGUAGES: Readonly<Record<string, RuleLanguage>> = { eql: 'eql', kuery: 'kuery', lucene: 'lucene', esql: 'esql' };
const KINDS: Readonly<Record<string, RuleKind>> = {
  query: 'event',
  saved_query: 'event',
  threshold: 'threshold',
  new_terms: 'new_terms',
  threat_match: 'threat_match',
  machine_learning: 'machine_learning',
  esql: 'esql',
};

/** EQL rules are single-event or sequence/sample by their query's first keyword. */
function eqlKind(query: string): RuleKind {
  return /^\s*(sequence|sample)\b/.test(query.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')) ? 'sequence' : 'event';
}

/**
 * The index patterns an ES|QL query's FROM names (ES|QL rules have no `index`
 * key): what the mapping selector, log-source grouping and reports read.
 */
export function esqlFromIndices(query: string): string[] {
  const text = query.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
  const m = /^\s*from\s+([\s\S]+?)(?=\s+metadata\b|\s*\||$)/i.exec(text);
  if (!m) return [];
  return m[1]!
    .split(',')
    .map((p) => p.trim().replace(/^"(.*)"$/, '$1'))
    .filter((p) => p !== '');
}

/** `[[rule.threat]]` → technique / sub-technique ids and tactic short names. */
function attackOf(threat: unknown): { techniques: string[]; tactics: string[] } {
  const techniques = new Set<string>();
  const tactics = new Set<string>();
  for (const t of Array.isArray(threat) ? threat.filter(isRecord) : []) {
    if (isRecord(t.tactic) && typeof t.tactic.name === 'string') tactics.add(t.tactic.name.toLowerCase().replace(/\s+/g, '-'));
    for (const tech of Array.isArray(t.technique) ? t.technique.filter(isRecord) : []) {
      if (typeof tech.id === 'string') techniques.add(tech.id.toUpperCase());
      for (const sub of Array.isArray(tech.subtechnique) ? tech.subtechnique.filter(isRecord) : []) if (typeof sub.id === 'string') techniques.add(sub.id.toUpperCase());
    }
  }
  return { techniques: [...techniques], tactics: [...tactics] };
}

function headerLine(text: string): number {
  const i = text.split(/\r?\n/).findIndex((l) => l.trim() === '[rule]');
  return i < 0 ? 1 : i + 1;
}

/**
 * One Elastic detection rule file (`[metadata]` + `[rule]`) → the common Rule
 * model. `body` is the `[rule]` table with `metadata` added.
 */
export function elasticFileContent(file: string, text: string): { rules: Rule[]; diagnostics: Diagnostic[] } {
  const fail = (message: string, code: string, line = 1, column = 1) => ({ rules: [], diagnostics: [{ code, severity: 'error' as const, message, span: { file, line, column } }] });
  let doc: Record<string, unknown>;
  try {
    doc = parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    if (e instanceof TomlError) return fail(`invalid TOML: ${e.message.split('\n')[0]}`, 'toml/syntax', e.line, e.column);
    throw e;
  }
  const rule = doc.rule;
  if (!isRecord(rule)) return fail('no [rule] table: not an Elastic detection rule', 'elastic/missing-rule');
  const line = headerLine(text);
  const id = str(rule.rule_id);
  if (!id) return fail('[rule] has no rule_id', 'elastic/missing-rule-id', line);
  const type = str(rule.type) ?? '';
  const query = str(rule.query) ?? '';
  const kind = type === 'eql' ? eqlKind(query) : KINDS[type];
  if (!kind) return fail(`unknown rule type '${type}' (expected eql, query, threshold, new_terms, threat_match, esql, machine_learning)`, 'elastic/unknown-type', line);
  const language: RuleLanguage = type === 'machine_learning' ? 'none' : (LANGUAGES[str(rule.language) ?? (type === 'esql' ? 'esql' : 'kuery')] ?? 'kuery');
  const attack = attackOf(rule.threat);
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const status = str(metadata.maturity);
  const level = str(rule.severity);
  const description = str(rule.description);
  const r: Rule = {
    id,
    title: str(rule.name) ?? id,
    format: 'elastic',
    language,
    kind,
    ...(status !== undefined ? { status } : {}),
    ...(level !== undefined ? { level } : {}),
    ...(description !== undefined ? { description } : {}),
    techniques: attack.techniques,
    tactics: attack.tactics,
    tags: strings(rule.tags),
    index: type === 'esql' ? esqlFromIndices(query) : strings(rule.index),
    related: [],
    source: { file, line, column: 1 },
    document: 0,
    body: { ...rule, metadata },
  };
  return { rules: [r], diagnostics: [] };
}
