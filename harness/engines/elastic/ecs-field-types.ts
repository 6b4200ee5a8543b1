/**
 * Field types of Elastic integration fields that ECS (harness/mapping) does not
 * define, for KQL / Lucene rule queries. Without a mapping the
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
