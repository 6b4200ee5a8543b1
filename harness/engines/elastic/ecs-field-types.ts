import type { LintType } from '../kql/lint.ts';

/**
 * Field types that Elastic's integrations map differently from what the value
 * in a document suggests, for KQL / Lucene rule queries. Without a mapping the
 * engines treat every string as a case-sensitive keyword (kql.md §9); these
 * fields are analysed text in the indices the rules run on, so a query term
 * matches a word inside them, case-insensitively.
 * Sources: ECS field reference (message, error.message: match_only_text) and
 * the Windows integration's PowerShell Operational mapping
 * (powershell.file.script_block_text: text).
 */
export const ECS_FIELD_TYPES: Readonly<Record<string, string>> = {
  message: 'match_only_text',
  'error.message': 'match_only_text',
  'powershell.file.script_block_text': 'text',
  'powershell.file.script_block_text.text': 'text',
};

/**
 * Declared ECS types the query lint checks values against (kql/lint.ts), and
 * nothing else: evaluation still goes by each event value's own type.
 * Source: the ECS field reference (these fields are `ip` and `long`).
 */
export const ECS_LINT_TYPES: Readonly<Record<string, LintType>> = {
  ...Object.fromEntries(['client', 'destination', 'host', 'observer', 'related', 'server', 'source', 'client.nat', 'destination.nat', 'server.nat', 'source.nat'].map((f) => [`${f}.ip`, 'ip' as const])),
  ...Object.fromEntries(['client', 'destination', 'server', 'source', 'client.nat', 'destination.nat', 'server.nat', 'source.nat'].map((f) => [`${f}.port`, 'number' as const])),
  ...Object.fromEntries(['client', 'destination', 'server', 'source', 'network', 'http.request', 'http.response'].map((f) => [`${f}.bytes`, 'number' as const])),
  'process.pid': 'number',
  'process.parent.pid': 'number',
  'process.args_count': 'number',
  'process.exit_code': 'number',
  'event.severity': 'number',
  'file.size': 'number',
  'http.response.status_code': 'number',
};
