import { isNode, type XNode } from './template.ts';
import { valueText, type BinValue, type Scalar } from './values.ts';

export type Json = Scalar | readonly Json[] | { readonly [k: string]: Json };

/**
 * An element as JSON, as the omerbenamram/evtx crate's JSON export renders it
 * (src/binxml/ir_json.rs): attributes with text under `#attributes`; an element
 * with only text becomes that value — a number or boolean when it is one such
 * value, else text (floats, times, GUIDs, arrays joined with commas); an empty
 * one becomes null; text beside attributes or child elements goes under `#text`;
 * a repeated child name gets `_1`, `_2`, … Inside `EventData` / `UserData`, when
 * some `<Data>` child has a `Name`, each named one becomes that key (an empty one
 * `""`) and unnamed ones are left out; otherwise the `<Data>` children become
 * `Data: {"#text": value}` (one) or `Data: {"#text": [values]}` (several).
 */
export function elementJson(node: XNode, inDataContainer = false): Json {
  const attrs = attributesJson(node);
  const texts = textsOf(node);
  const children = node.content.filter(isNode);
  if (children.length === 0 && !attrs) return texts.length === 0 ? null : contentJson(texts);
  const out: Record<string, Json> = {};
  if (attrs) out['#attributes'] = attrs;
  if (texts.length > 0) out['#text'] = contentJson(texts);
  const data = inDataContainer ? children.filter((c) => c.name === 'Data') : [];
  const named = data.some((d) => nameOf(d) !== undefined);
  if (data.length > 0 && !named) put(out, 'Data', { '#text': data.length === 1 ? dataJson(data[0]!) : data.map(dataJson) });
  for (const c of children) {
    if (inDataContainer && c.name === 'Data') {
      const name = named ? nameOf(c) : undefined;
      // The crate writes a repeated Data name twice, so the last one stands.
      if (name !== undefined) set(out, name, dataJson(c));
      continue;
    }
    put(out, c.name, elementJson(c, c.name === 'EventData' || c.name === 'UserData'));
  }
  return out;
}

/** Values that carry text: null and empty strings do not (the crate's "optional empty"). */
function textsOf(node: XNode): BinValue[] {
  const out: BinValue[] = [];
  for (const c of node.content) if (!isNode(c) && c !== null && c !== '') out.push(c);
  return out;
}

/** One integer or boolean stays typed; anything else is its text, concatenated. */
function contentJson(values: readonly BinValue[]): Json {
  if (values.length === 1) {
    const v = values[0]!;
    if (typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))) return v;
  }
  return values.map(valueText).join('');
}

function attributesJson(node: XNode): Record<string, Json> | undefined {
  let attrs: Record<string, Json> | undefined;
  for (const [name, v] of node.attrs) {
    if (v === null || v === '') continue;
    attrs ??= {};
    put(attrs, name, contentJson([v]));
  }
  return attrs;
}

function nameOf(data: XNode): string | undefined {
  const a = data.attrs.find(([n]) => n === 'Name');
  const text = a ? valueText(a[1]) : '';
  return text === '' ? undefined : text;
}

/** A `<Data>` element's value: its text (typed as above), `""` when empty; with child elements, the element without its attributes. */
function dataJson(node: XNode): Json {
  if (node.content.some(isNode)) return elementJson({ name: node.name, attrs: [], content: node.content });
  const texts = textsOf(node);
  return texts.length === 0 ? '' : contentJson(texts);
}

/** Own-property assignment (a name like `__proto__` from a file is just a key). */
function set(obj: Record<string, Json>, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Own-property insert; a repeated name gets `_1`, `_2`, … */
function put(obj: Record<string, Json>, key: string, value: Json): void {
  let k = key;
  // `obj[k] === undefined` settles almost every key at once (no stored value is undefined).
  for (let i = 1; obj[k] !== undefined && Object.hasOwn(obj, k); i++) k = `${key}_${i}`;
  // Plain assignment keeps objects fast; only `__proto__` would not be an own data property.
  set(obj, k, value);
}

/** A record's JSON: `{"Event": {...}}` (the root element under its own name). */
export function recordJson(nodes: readonly XNode[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const n of nodes) put(out, n.name, elementJson(n));
  return out;
}
