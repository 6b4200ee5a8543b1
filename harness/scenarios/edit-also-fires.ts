import { Pair, isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';

/**
 * Rewrite the `also_fires` lists of some cases of a scenario file, keeping
 * everything else of the text — comments, key order, quoting, flow or block
 * style — through the yaml package's document API. Cases are addressed by
 * their position in `cases`.
 */
export interface AlsoFiresEdit {
  /** 0-based index of the case in the file's `cases` list. */
  readonly index: number;
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

export function editAlsoFires(text: string, edits: readonly AlsoFiresEdit[]): string {
  const doc = parseDocument(text);
  const cases = doc.get('cases');
  if (!isSeq(cases)) throw new Error('the scenario has no `cases` list');
  for (const e of edits) {
    const c = cases.items[e.index];
    if (!isMap(c)) throw new Error(`case #${e.index + 1} is not a mapping`);
    applyEdit(doc, c, e);
  }
  return doc.toString({ lineWidth: 0 });
}

const textOf = (item: unknown): string => String(isScalar(item) ? item.value : item);

function applyEdit(doc: Document, c: YAMLMap, e: AlsoFiresEdit): void {
  const list = c.get('also_fires', true);
  if (isSeq(list)) {
    list.items = list.items.filter((item) => !e.remove.includes(textOf(item)));
    const present = new Set(list.items.map(textOf));
    for (const id of e.add) if (!present.has(id)) list.items.push(doc.createNode(id));
    if (list.items.length === 0) c.delete('also_fires');
    return;
  }
  if (e.add.length === 0) return;
  // Beside the expectation, where a reader looks for it (after `expect`, before `events`).
  const pair = new Pair(doc.createNode('also_fires'), doc.createNode([...e.add]));
  const at = c.items.findIndex((p) => isScalar(p.key) && p.key.value === 'expect');
  if (at >= 0) c.items.splice(at + 1, 0, pair);
  else c.items.push(pair);
}
