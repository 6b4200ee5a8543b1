import type { Cursor } from './cursor.ts';
import { EvtxFormatError } from './errors.ts';
import { ObjectShapes } from './shapes.ts';
import type { Instance, Part, TAttr, TElement } from './template.ts';
import { valueText, type BinValue, type Scalar } from './values.ts';

export type Json = Scalar | readonly Json[] | { readonly [k: string]: Json };

/** Elements one record may expand to: substitutions can repeat a nested fragment, so expansion is budgeted. */
const MAX_ELEMENTS_PER_RECORD = 200_000;

const NO_VALUES: readonly BinValue[] = [];

/** The objects of record JSON, by key sequence (shared by every chunk and file: records of a kind recur). */
const SHAPES = new ObjectShapes();

/** Parses an embedded Binary XML value into parts, `depth` template instances deep. */
export interface FragmentParser {
  fragment(c: Cursor, depth: number): readonly Part[];
}

function isFragment(v: BinValue): v is { readonly fragment: Cursor } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The elements of one level of content, each with the instance whose values fill it. */
interface Children {
  readonly els: TElement[];
  readonly scopes: Instance[];
}

/**
 * A record's JSON, as the omerbenamram/evtx crate's JSON export renders it
 * (src/binxml/ir_json.rs), built straight from template bodies and their values:
 * attributes with text under `#attributes`; an element with only text becomes that
 * value — a number or boolean when it is one such value, else text (floats, times,
 * GUIDs, arrays joined with commas); an empty one becomes null; text beside
 * attributes or child elements goes under `#text`; a repeated child name gets `_1`,
 * `_2`, … Inside `EventData` / `UserData`, when some `<Data>` child has a `Name`, each
 * named one becomes that key (an empty one `""`) and unnamed ones are left out;
 * otherwise the `<Data>` children become `Data: {"#text": value}` (one) or
 * `Data: {"#text": [values]}` (several). Substitutions are resolved where they are
 * read: an optional one of a null value vanishes, a Binary XML value (a nested
 * fragment) is parsed where it is used and its elements take its place.
 */
export class JsonBuilder {
  private budget = 0;

  constructor(private readonly parser: FragmentParser) {}

  /** `{"Event": {...}}` (each top element under its own name); undefined when the record holds no element. */
  record(top: Instance): Record<string, Json> | undefined {
    this.budget = MAX_ELEMENTS_PER_RECORD;
    SHAPES.reset();
    const children: Children = { els: [], scopes: [] };
    this.gather(top.body, top, children);
    if (children.els.length === 0) return undefined;
    const start = SHAPES.begin();
    for (let i = 0; i < children.els.length; i++) SHAPES.put(children.els[i]!.name, this.element(children.els[i]!, children.scopes[i]!, false));
    return SHAPES.end(start) as Record<string, Json>;
  }

  /** The elements of `parts` at one level: nested instances and Binary XML values expanded in place, text dropped. */
  private gather(parts: readonly Part[], scope: Instance, into: Children): void {
    for (const p of parts) {
      switch (p.k) {
        case 'element':
          this.push(p.el, scope, into);
          break;
        case 'instance':
          this.gather(p.inst.body, p.inst, into);
          break;
        case 'sub': {
          const v = scope.values[p.index];
          if (v !== undefined && isFragment(v)) this.fragment(v.fragment, scope, into);
          break;
        }
        case 'value':
          break;
      }
    }
  }

  /** One more element of the record: past the budget, the record is reported, not expanded. */
  private spend(): void {
    if (--this.budget < 0) throw new EvtxFormatError(`record expands to more than ${MAX_ELEMENTS_PER_RECORD} elements`, 0);
  }

  private push(el: TElement, scope: Instance, into: Children): void {
    this.spend();
    into.els.push(el);
    into.scopes.push(scope);
  }

  private fragment(f: Cursor, scope: Instance, into: Children): void {
    const depth = scope.depth + 1;
    const body = this.parser.fragment(f.at(f.pos, f.end), depth);
    this.gather(body, { body, values: NO_VALUES, depth }, into);
  }

  /**
   * An element as JSON. `mode`: `element` as such (`inData` children under EventData /
   * UserData), or `data` — a `<Data>` value: its text, `""` when empty; with child
   * elements, the element without its attributes.
   */
  private element(el: TElement, scope: Instance, inData: boolean, mode: 'element' | 'data' = 'element'): Json {
    const values = scope.values;
    const plan = el.plan;
    const leaf = leafJson(el, values, mode === 'data');
    if (leaf !== undefined) return leaf;
    // Child elements only, their names known (`<System>`, `<EventData>` of named Data): no child list.
    if (plan.children !== undefined && mode === 'element' && el.attrs.length === 0 && (!inData || plan.dataNames?.named === true)) {
      const start = SHAPES.begin();
      const dataNames = inData ? plan.dataNames : undefined;
      for (let i = 0; i < plan.children.length; i++) {
        const c = plan.children[i]!;
        this.spend();
        // Most children are leaves: their value without a call to element().
        if (dataNames !== undefined && c.name === 'Data') {
          const name = dataNames.names[i];
          if (name === undefined) continue;
          const leaf = leafJson(c, values, true);
          SHAPES.set(name, leaf !== undefined ? leaf : this.element(c, scope, false, 'data'));
        } else {
          const leaf = leafJson(c, values, false);
          SHAPES.put(c.name, leaf !== undefined ? leaf : this.element(c, scope, c.name === 'EventData' || c.name === 'UserData'));
        }
      }
      // Its keys are the plan's: the same each time, so the sequence found once is not checked again.
      return SHAPES.end(start, dataNames !== undefined ? el.hints.namedData : el.hints.children) as Json;
    }
    let attrs: Json | undefined;
    if (mode === 'element' && el.attrs.length > 0) {
      const start = SHAPES.begin();
      for (const a of el.attrs) {
        const v = attrValue(a, values);
        if (v !== undefined && v !== null && v !== '') SHAPES.put(a.name, typedJson(v));
      }
      if (SHAPES.begin() > start) attrs = SHAPES.end(start, el.hints.attrs) as Json;
    }
    // Text values in order (null and "" carry none), and the child elements.
    let text: BinValue | undefined;
    let moreText: BinValue[] | undefined;
    let children: Children | undefined;
    for (const p of el.content) {
      let v: BinValue;
      switch (p.k) {
        case 'value':
          v = p.v;
          break;
        case 'sub':
          v = values[p.index] ?? null;
          if (isFragment(v)) {
            this.fragment(v.fragment, scope, (children ??= { els: [], scopes: [] }));
            continue;
          }
          break;
        case 'element':
          this.push(p.el, scope, (children ??= { els: [], scopes: [] }));
          continue;
        case 'instance':
          this.gather(p.inst.body, p.inst, (children ??= { els: [], scopes: [] }));
          continue;
      }
      if (v === null || v === '') continue;
      if (text === undefined) text = v;
      else (moreText ??= []).push(v);
    }
    if (children === undefined || children.els.length === 0) {
      if (mode === 'data') return text === undefined ? '' : textJson(text, moreText);
      if (!attrs) return text === undefined ? null : textJson(text, moreText);
      // Attributes and maybe text (`<Provider Name=… Guid=…/>`, `<EventID Qualifiers=…>4688</EventID>`): two known keys.
      return text === undefined ? { '#attributes': attrs } : { '#attributes': attrs, '#text': textJson(text, moreText) };
    }
    const start = SHAPES.begin();
    if (attrs) SHAPES.put('#attributes', attrs);
    if (text !== undefined) SHAPES.put('#text', textJson(text, moreText));
    if (children) this.children(children, inData && mode === 'element');
    return SHAPES.end(start, mode === 'element' ? el.hints.element : el.hints.data) as Json;
  }

  /** Pushes the children's entries (see ObjectShapes) of the object being built. */
  private children(children: Children, inData: boolean): void {
    const { els, scopes } = children;
    // Under EventData / UserData: the <Data> children by their Name, or all of them as one `Data`.
    let names: Array<string | undefined> | undefined;
    if (inData) {
      let data = 0;
      let named = false;
      names = [];
      for (let i = 0; i < els.length; i++) {
        const name = els[i]!.name === 'Data' ? dataName(els[i]!, scopes[i]!.values) : undefined;
        names.push(name);
        if (els[i]!.name === 'Data') data++;
        if (name !== undefined) named = true;
      }
      if (!named) names = undefined;
      if (data > 0 && !named) {
        const texts: Json[] = [];
        for (let i = 0; i < els.length; i++) if (els[i]!.name === 'Data') texts.push(this.element(els[i]!, scopes[i]!, false, 'data'));
        SHAPES.put('Data', { '#text': texts.length === 1 ? texts[0]! : texts });
      }
    }
    for (let i = 0; i < els.length; i++) {
      const c = els[i]!;
      if (inData && c.name === 'Data') {
        const name = names?.[i];
        // The crate writes a repeated Data name twice, so the last one stands.
        if (name !== undefined) SHAPES.set(name, this.element(c, scopes[i]!, false, 'data'));
        continue;
      }
      SHAPES.put(c.name, this.element(c, scopes[i]!, c.name === 'EventData' || c.name === 'UserData'));
    }
  }
}

/**
 * The usual leaf, `<Level>%4</Level>` or (`data`, a `<Data>` value) `<Data Name="Image">%12</Data>`:
 * its value as it is (null, or `""` as a Data value, when empty). Undefined when the element
 * is more than one substitution or its value is a Binary XML fragment.
 */
function leafJson(el: TElement, values: readonly BinValue[], data: boolean): Json | undefined {
  const sub = el.plan.onlySub;
  if (sub < 0 || (!data && el.attrs.length > 0)) return undefined;
  const v = values[sub] ?? null;
  if (v === null || v === '') return data ? '' : null;
  return isFragment(v) ? undefined : typedJson(v);
}

/**
 * An attribute's value: one literal or one substitution as it is, several joined as
 * text; undefined when it has none (an optional substitution of null, or a Binary XML
 * value, which an attribute cannot hold).
 */
function attrValue(a: TAttr, values: readonly BinValue[]): BinValue | undefined {
  const parts = a.parts;
  if (parts.length === 1) {
    const p = parts[0]!;
    if (p.k === 'value') return p.v;
    if (p.k === 'sub') {
      const v = values[p.index] ?? null;
      if (!isFragment(v)) return v === null ? undefined : v;
    }
  }
  let vs: BinValue[] | undefined;
  for (const p of parts) {
    if (p.k === 'value') (vs ??= []).push(p.v);
    else if (p.k === 'sub') {
      const v = values[p.index] ?? null;
      if ((v === null && p.optional) || isFragment(v)) continue;
      (vs ??= []).push(v);
    }
  }
  if (vs === undefined) return undefined;
  return vs.length === 1 ? vs[0]! : vs.map(valueText).join('');
}

/** A `<Data>` element's Name attribute, undefined when it has none or it is empty. */
function dataName(el: TElement, values: readonly BinValue[]): string | undefined {
  for (const a of el.attrs) {
    if (a.name !== 'Name') continue;
    const v = attrValue(a, values);
    if (v === undefined) continue;
    const text = valueText(v);
    return text === '' ? undefined : text;
  }
  return undefined;
}

/** One integer or boolean stays typed; anything else is its text. */
function typedJson(v: BinValue): Json {
  if (typeof v === 'string') return v; // most values: no conversion
  return typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v)) ? v : valueText(v);
}

/** Text content: one value typed as above; several concatenated. */
function textJson(first: BinValue, more: readonly BinValue[] | undefined): Json {
  if (more === undefined) return typedJson(first);
  let s = valueText(first);
  for (const v of more) s += valueText(v);
  return s;
}
