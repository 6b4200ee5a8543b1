import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Rule } from '../core/rule.ts';
import { discoverRuleFiles, portablePath, ruleFileKind } from './discover.ts';
import { elasticFileContent } from './elastic-documents.ts';
import { type FilterSource, sigmaFileContent } from './sigma-documents.ts';
import { parseYamlDocuments } from './yaml-documents.ts';

/** Everything loaded from a rules tree: rules, Sigma filters, and every problem found. */
export interface RuleSet {
  readonly rules: readonly Rule[];
  readonly filters: readonly FilterSource[];
  readonly diagnostics: readonly Diagnostic[];
  /** Source text per file, so diagnostics found later (at compile time) can be located and rendered. */
  readonly texts: ReadonlyMap<string, string>;
}

/** Load one file's text (already read) into rules / filters / diagnostics. */
export function loadRuleText(file: string, text: string): { rules: Rule[]; filters: FilterSource[]; diagnostics: Diagnostic[] } {
  const unreadable = unreadableText(file, text);
  if (unreadable) return { rules: [], filters: [], diagnostics: [unreadable] };
  const kind = ruleFileKind(file);
  if (kind === 'elastic') return { ...elasticFileContent(file, text), filters: [] };
  if (kind !== 'sigma') {
    return { rules: [], filters: [], diagnostics: [{ code: 'rules/unsupported-format', severity: 'error', message: `no loader for ${file}`, span: { file, line: 1, column: 1 } }] };
  }
  const parsed = parseYamlDocuments(file, text);
  if (!parsed.ok) return { rules: [], filters: [], diagnostics: [parsed.diagnostic] };
  return sigmaFileContent(file, text, parsed.documents);
}

/** Empty files and undecodable bytes are errors of their own, before any parser sees the text. */
function unreadableText(file: string, text: string): Diagnostic | undefined {
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    const before = text.slice(0, bad).split('\n');
    return { code: 'rules/invalid-utf8', severity: 'error', message: 'invalid UTF-8: the file has bytes that are not UTF-8 text (shown as U+FFFD); re-save it as UTF-8', span: { file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 } };
  }
  // A line with something other than whitespace or a comment; one regex scan, no split per file.
  const meaningful = /^[ \t\uFEFF]*[^\s#\uFEFF]/m.test(text);
  if (!meaningful) return { code: 'rules/empty', severity: 'error', message: 'the file is empty (only whitespace or comments): expected a rule', span: { file, line: 1, column: 1 } };
  return undefined;
}

/**
 * Discover and load every rule file under `root` (file or directory). Loading
 * collects every diagnostic instead of stopping at the first; duplicate rule
 * ids across files are an error naming both files.
 */
export function loadRules(root: string, base = process.cwd()): RuleSet {
  const rules: Rule[] = [];
  const filters: FilterSource[] = [];
  const diagnostics: Diagnostic[] = [];
  const texts = new Map<string, string>();
  for (const path of discoverRuleFiles(root)) {
    const file = portablePath(path, base);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      diagnostics.push({ code: 'rules/unreadable', severity: 'error', message: `cannot read file: ${(e as Error).message}`, span: { file, line: 1, column: 1 } });
      continue;
    }
    texts.set(file, text);
    const content = loadRuleText(file, text);
    rules.push(...content.rules);
    filters.push(...content.filters);
    diagnostics.push(...content.diagnostics);
  }
  diagnostics.push(...duplicateIds(rules));
  return { rules, filters, diagnostics, texts };
}

function duplicateIds(rules: readonly Rule[]): Diagnostic[] {
  const seen = new Map<string, Rule>();
  const out: Diagnostic[] = [];
  for (const r of rules) {
    const first = seen.get(r.id);
    if (first) {
      out.push({
        code: 'rules/duplicate-id',
        severity: 'error',
        message: `rule id ${r.id} is also used by ${first.source.file}:${first.source.line} ('${first.title}')`,
        span: r.source,
        ruleId: r.id,
      });
    } else seen.set(r.id, r);
  }
  return out;
}
