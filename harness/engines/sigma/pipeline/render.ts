/**
 * The rule as a pipeline mapped it, for `explain` and `review`: which field
 * became which, the conditions added, the logsource it ended with.
 */
import type { MappedRule } from './apply.ts';

export function renderMapping(m: MappedRule & { readonly pipeline: string }, indent = ''): string {
  const lines = [`${indent}as mapped by pipeline ${m.pipeline}:`];
  const fields = [...m.fieldMappings].filter(([src, dest]) => !(dest.length === 1 && dest[0] === src));
  for (const [src, dest] of fields) lines.push(`${indent}  ${src ?? 'keyword'} → ${dest.join(' | ')}`);
  for (const n of m.notes.filter((x) => !x.includes(' → ') || x.startsWith('logsource'))) lines.push(`${indent}  ${n}`);
  if (fields.length === 0 && m.notes.length === 0) lines.push(`${indent}  (no transformation applied)`);
  lines.push(`${indent}  condition: ${m.conditions.join(' | ')}`);
  const ls = (['category', 'product', 'service'] as const).map((k) => `${k}: ${m.logsource[k] ?? '-'}`).join(', ');
  lines.push(`${indent}  logsource: ${ls}`);
  return lines.join('\n');
}
