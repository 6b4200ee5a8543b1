import type { Cursor } from './cursor.ts';
import { EvtxFormatError } from './errors.ts';
import { isNode, type Part, type TElement, type XNode } from './template.ts';
import { valueText, type BinValue } from './values.ts';

/** Elements one record may expand to: substitutions can repeat a nested fragment, so expansion is budgeted. */
const MAX_NODES_PER_RECORD = 200_000;

function isFragment(v: BinValue): v is { readonly fragment: Cursor } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Template bodies (parts) filled with an instance's values: the elements a record
 * stands for. A value holding Binary XML is parsed where it is used (`parseFragment`)
 * and its elements take the place of the substitution.
 */
export class Instantiator {
  private budget = 0;

  constructor(private readonly parseFragment: (c: Cursor, templateDepth: number) => readonly Part[]) {}

  /** A new record: its expansion budget starts afresh. */
  startRecord(): void {
    this.budget = MAX_NODES_PER_RECORD;
  }

  /** The elements of `parts` filled with `values` (text between them dropped). */
  elements(parts: readonly Part[], values: readonly BinValue[], templateDepth: number): XNode[] {
    return this.resolve(parts, values, templateDepth).filter(isNode);
  }

  /** Substitute `values` into parts; optional substitutions of null values vanish. */
  private resolve(parts: readonly Part[], values: readonly BinValue[], templateDepth: number): Array<XNode | BinValue> {
    const out: Array<XNode | BinValue> = [];
    for (const p of parts) {
      switch (p.k) {
        case 'value':
          out.push(p.v);
          break;
        case 'element':
          out.push(this.instantiate(p.el, values, templateDepth));
          break;
        case 'nodes':
          for (const n of p.nodes) out.push(n);
          break;
        case 'sub': {
          const v = p.index < values.length ? values[p.index]! : null;
          if (v === null && p.optional) break;
          if (isFragment(v)) {
            const f = v.fragment;
            for (const n of this.elements(this.parseFragment(f.at(f.pos, f.end), templateDepth + 1), [], templateDepth + 1)) out.push(n);
          }
          else out.push(v);
          break;
        }
      }
    }
    return out;
  }

  private instantiate(el: TElement, values: readonly BinValue[], templateDepth: number): XNode {
    if (--this.budget < 0) throw new EvtxFormatError(`record expands to more than ${MAX_NODES_PER_RECORD} elements`, 0);
    const attrs: Array<readonly [string, BinValue]> = [];
    for (const a of el.attrs) {
      const only = a.parts.length === 1 ? a.parts[0]! : undefined;
      // The usual attribute is one literal or one plain substitution: no intermediate arrays.
      if (only?.k === 'value' || (only?.k === 'sub' && !isFragment(values[only.index] ?? null))) {
        const v = only.k === 'value' ? only.v : (values[only.index] ?? null);
        if (v !== null || only.k === 'value') attrs.push([a.name, v]);
        continue;
      }
      const vs = this.resolve(a.parts, values, templateDepth).filter((x): x is BinValue => !isNode(x));
      if (vs.length === 0) continue;
      attrs.push([a.name, vs.length === 1 ? vs[0]! : vs.map(valueText).join('')]);
    }
    return { name: el.name, attrs, content: this.resolve(el.content, values, templateDepth) };
  }
}
