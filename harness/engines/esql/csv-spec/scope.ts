import type { SpecTest } from './spec-file.ts';

/**
 * The skip rule for Elasticsearch's csv-spec tests (stated here and in the
 * conformance test's output). A test is out of scope when:
 * 1. its name ends in `-Ignore` (Elasticsearch itself does not run it);
 * 2. it needs a capability this engine does not implement (listed below with why);
 * 3. it uses a command outside the offline engine (ENRICH, LOOKUP JOIN, FORK,
 *    SET, CHANGE_POINT, SAMPLE, RERANK, FUSE, INSIST_, TS/METRICS);
 * 4. it reads an index whose documents are not in the fixtures (the README of
 *    the fixtures lists them: `mv_sample*`, `emp*` — which in the repository also
 *    matches other `employees_*` indices — and `event_empty`).
 * Everything else is in scope and must pass.
 */
/**
 * Warnings are compared for every file except these two, which come from a
 * commit (00299dd) whose tests declare no `warning:` lines even where the
 * engine of that time warned (a multi-valued `description` into LENGTH): the
 * runner of that commit did not compare warnings. Columns and rows are compared.
 */
export const FILES_WITHOUT_WARNING_CHECKS: ReadonlySet<string> = new Set(['eval.csv-spec', 'string.csv-spec']);

export const UNIMPLEMENTED_CAPABILITIES: Readonly<Record<string, string>> = {
  optional_fields_nullify_tech_preview: 'SET unmapped_fields="nullify" (a tech-preview query setting) is not implemented',
};

const OUT_OF_ENGINE_COMMANDS = /(^|\|)\s*(enrich|lookup\s+join|lookup|fork|set|change_point|sample|rerank|fuse|insist_|ts|metrics)\b/i;

/** Indices the fixtures do not hold (see conformance/README.md). */
const ABSENT_INDICES = /\bfrom\s+(mv_sample\S*|emp\*|event_empty)(?![\w*])/i;

export function outOfScope(t: SpecTest): string | undefined {
  if (t.name.endsWith('-Ignore')) return 'marked -Ignore in Elasticsearch';
  for (const c of t.capabilities) {
    const why = UNIMPLEMENTED_CAPABILITIES[c];
    if (why !== undefined) return `capability ${c}: ${why}`;
  }
  const q = t.query.replace(/\/\/[^\n]*/g, '');
  const cmd = OUT_OF_ENGINE_COMMANDS.exec(q);
  if (cmd) return `command ${(cmd[2] ?? '').toUpperCase()} is outside the offline engine`;
  const ix = ABSENT_INDICES.exec(q);
  if (ix) return `index ${ix[1] ?? ''} is not in the fixtures`;
  return undefined;
}
