/**
 * Field types of Elastic integration fields that ECS (harness/mapping) does not
 * define, for KQL / Lucene rule queries. Without a mapping the
 * engines treat every string as a case-sensitive keyword (kql.md §9); these
 * fields are analysed text in the indices the rules run on, so a query term
 * matches a word inside them, case-insensitively. ECS's own text fields
 * (message, error.message) come from the ECS mapping, and without one from
 * planField's defaults (kql/field-semantics.ts).
 * Source: the Windows integration's PowerShell Operational mapping
 * (powershell.file.script_block_text: text).
 */
export const ECS_FIELD_TYPES: Readonly<Record<string, string>> = {
  'powershell.file.script_block_text': 'text',
  'powershell.file.script_block_text.text': 'text',
};
