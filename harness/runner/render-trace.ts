import type { Trace } from '../core/detector.ts';

const mark = (r: boolean | null): string => (r === true ? '✓' : r === false ? '✗' : '∅');

/**
 * A trace as an indented tree, one node a line:
 * ```
 * ✗ condition: selection and not filter
 *   ✓ selection
 *     ✓ Image|endswith: '\cmd.exe' — "C:\Windows\System32\cmd.exe"
 * ```
 * `maxDepth` keeps huge rules readable in a failure message.
 */
export function renderTrace(t: Trace, indent = '', maxDepth = 8): string {
  const line = `${indent}${mark(t.result)} ${t.label}${t.detail ? ` — ${t.detail}` : ''}`;
  if (maxDepth === 0 || t.children.length === 0) return line;
  return [line, ...t.children.map((c) => renderTrace(c, `${indent}  `, maxDepth - 1))].join('\n');
}
