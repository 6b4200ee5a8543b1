import { isNode, type XNode } from './template.ts';
import { valueText, type BinValue, type Scalar } from './values.ts';

export type Json = Scalar | readonly Json[] | { readonly [k: string]: Json };

/**
 * An element as JSON, in the shape of the omerbenamram/evtx crate's JSON export:
 * attributes (null ones dropped) under `#attributes`; an element with only text
 * becomes that value (typed: numbers stay numbers); an empty one becomes null;
 * text beside attributes or child elements goes under `#text`. `<Data Name="X">`
 * children become `X`; unnamed `<Data>` children become `Data` (one) or
 * `Data: {"#text": [...]}` (several). A repeated child name gets `_1`, `_2`, …
 */
export function elementJson(node: XNode): Json {
  const out: Record<string, Json> = {};
  let attrs: Record<string, Json> | undefined;
  for (const [name, v] of node.attrs) {
    const j = valueJson(v);
    if (j === null) continue;
    attrs ??= {};
    put(attrs, name, j);
  }
  if (attrs) out['#attributes'] = attrs;
  let hasChildren = false;
  let texts: BinValue[] | undefined;
  let unnamedData: Json[] | undefined;
  for (const c of node.content) {
    if (!isNode(c)) {
      if (c !== null) (texts ??= []).push(c);
      continue;
    }
    hasChildren = true;
    if (c.name === 'Data') {
      const name = c.attrs.find(([n]) => n === 'Name');
      if (name) put(out, valueText(name[1]), textJson(c));
      else (unnamedData ??= []).push(textJson(c));
      continue;
    }
    put(out, c.name, elementJson(c));
  }
  if (unnamedData) put(out, 'Data', unnamedData.length === 1 ? unnamedData[0]! : { '#text': unnamedData });
  const text = texts === undefined ? undefined : texts.length === 1 ? valueJson(texts[0]!) : texts.map(valueText).join('');
  if (!attrs && !hasChildren) return text ?? null;
  if (text !== undefined) put(out, '#text', text);
  return out;
}

/** A `<Data>` element's value: its text (typed), or null when empty. */
function textJson(node: XNode): Json {
  const texts = node.content.filter((c): c is BinValue => !isNode(c) && c !== null);
  const children = node.content.filter(isNode);
  if (children.length > 0) return elementJson({ name: node.name, attrs: [], content: node.content });
  if (texts.length === 0) return null;
  return texts.length === 1 ? valueJson(texts[0]!) : texts.map(valueText).join('');
}

function valueJson(v: BinValue): Json {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v as readonly Scalar[];
  return null;
}

/** Own-property insert (a name like `__proto__` or `toString` from a file is just a key). */
function put(obj: Record<string, Json>, key: string, value: Json): void {
  let k = key;
  // `obj[k] === undefined` settles almost every key at once (no stored value is undefined).
  for (let i = 1; obj[k] !== undefined && Object.hasOwn(obj, k); i++) k = `${key}_${i}`;
  // Plain assignment keeps objects fast; only `__proto__` would not be an own data property.
  if (k === '__proto__') Object.defineProperty(obj, k, { value, enumerable: true, writable: true, configurable: true });
  else obj[k] = value;
}

/** A record's JSON: `{"Event": {...}}` (the root element under its own name). */
export function recordJson(nodes: readonly XNode[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const n of nodes) put(out, n.name, elementJson(n));
  return out;
}
