import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import type { SourceSpan } from '../core/diagnostics.ts';
import type { DocPath } from '../core/located-error.ts';

/**
 * Turn a path inside a YAML document into a file/line/column span.
 * Only called when something is wrong, so the fast js-yaml load stays the
 * normal path and this slower, position-keeping parse runs on errors alone.
 */
export function locateInYaml(
  file: string,
  text: string,
  docIndex: number,
  path: DocPath,
  opts: { atKey?: boolean; offset?: number } = {},
): SourceSpan {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const docs2 = Array.isArray(docs) ? docs : [];
  const doc = docs2[docIndex];
  const fallback = (): SourceSpan => {
    const start = doc?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(start);
    return { file, line: pos.line, column: pos.col };
  };
  if (!doc) return fallback();
  let node: unknown = doc.contents;
  let range: readonly number[] | undefined = (node as Node | null)?.range ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && opts.atKey && isScalar(pair.key)) {
        range = pair.key.range ?? range;
        node = pair.key;
        break;
      }
      node = pair.value;
      range = (pair.value as Node | null)?.range ?? (isScalar(pair.key) ? pair.key.range : undefined) ?? range;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) break;
      node = item;
      range = (item as Node).range ?? range;
    } else break;
  }
  if (!range) return fallback();
  let start = range[0] ?? 0;
  let length = Math.max(1, (range[1] ?? start + 1) - start);
  if (opts.offset !== undefined && isScalar(node)) {
    // Point inside the scalar: skip an opening quote, then the offset.
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    start += quoted + opts.offset;
    length = 1;
  }
  const pos = lineCounter.linePos(start);
  return { file, line: pos.line, column: pos.col, length };
}
