import type { CorpusEntry, CorpusFile } from './corpus.ts';

/**
 * Keeps a corpus file under a size cap. Every case keeps its first entries
 * before any case gets more (round robin over cases, variants before near
 * misses at the same depth), so a case with huge events cannot crowd out the
 * others; kept entries stay in their original order, so the choice depends
 * only on the file's own content (deterministic, and independent of other rules).
 */
export function capCorpus(file: CorpusFile, maxBytes: number): CorpusFile {
  if (byteSize(renderJson(file)) <= maxBytes) return file;
  const all = [...file.variants.map((e) => ({ e, near: false })), ...file.near_misses.map((e) => ({ e, near: true }))];
  const depth = new Map<string, number>();
  const ranked = all.map((x, order) => {
    const key = `${x.near ? 'n' : 'v'}\u0000${x.e.case}`;
    const d = depth.get(key) ?? 0;
    depth.set(key, d + 1);
    return { ...x, order, rank: d * 2 + (x.near ? 1 : 0) };
  });
  ranked.sort((a, b) => a.rank - b.rank || a.order - b.order);
  const omittedShape = { variants: file.variants.length, near_misses: file.near_misses.length, max_bytes: maxBytes };
  // `[]` becomes `[\n` … `\n  ]` once an array has entries: 8 bytes for the two arrays.
  let budget = maxBytes - byteSize(renderJson({ ...file, variants: [], near_misses: [], omitted: omittedShape })) - 8;
  const kept = new Set<number>();
  for (const x of ranked) {
    const size = entrySize(x.e);
    if (size > budget) continue;
    budget -= size;
    kept.add(x.order);
  }
  const variants = file.variants.filter((_, i) => kept.has(i));
  const near_misses = file.near_misses.filter((_, i) => kept.has(file.variants.length + i));
  return { ...file, variants, near_misses, omitted: { variants: file.variants.length - variants.length, near_misses: file.near_misses.length - near_misses.length, max_bytes: maxBytes } };
}

const renderJson = (x: unknown): string => `${JSON.stringify(x, null, 2)}\n`;
const byteSize = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Bytes an entry adds to the rendered file: its lines indented by four more spaces, plus the separator. */
function entrySize(e: CorpusEntry): number {
  const text = JSON.stringify(e, null, 2);
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return byteSize(text) + 4 * lines + 2;
}
