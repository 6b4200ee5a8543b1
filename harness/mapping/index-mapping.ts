import type { FieldMapping, MappedField } from './field-mapping.ts';
import { dynamicMapping } from './dynamic.ts';

interface Entry {
  readonly mapping: FieldMapping;
  readonly source: string;
  /** Set for a multi-field: the parent field's name (where the value lives). */
  readonly parent?: string;
}

/**
 * The fields of an index, as its mapping defines them: the one place the
 * Elastic engines ask "what is field `f`?". Immutable; `over` layers one
 * mapping on another (a project's own mapping files over ECS), field by
 * field, later wins — as Elasticsearch composes component templates.
 *
 * @example
 * const m = IndexMapping.fromFields([['process.command_line', cmd]], 'ECS');
 * m.field('process.command_line.text')
 * // { name: 'process.command_line.text', sourcePath: 'process.command_line', via: 'multi-field',
 * //   mapping: { type: 'match_only_text', … }, source: 'ECS' }
 * m.resolve('okta.outcome', 'SUCCESS').via // 'dynamic' (a keyword, from the value's JSON type)
 */
export class IndexMapping {
  static readonly EMPTY = new IndexMapping(new Map(), []);

  private constructor(
    private readonly entries: ReadonlyMap<string, Entry>,
    /** The sources layered into this mapping, lowest first. */
    readonly sources: readonly string[],
  ) {}

  /** A mapping of dotted field names (multi-fields are found through their parent's `fields`). */
  static fromFields(fields: Iterable<readonly [string, FieldMapping]>, source: string): IndexMapping {
    const entries = new Map<string, Entry>();
    for (const [name, mapping] of fields) addField(entries, name, mapping, source);
    return new IndexMapping(entries, [source]);
  }

  /** This mapping layered over `base`: a field defined in both is this one's. */
  over(base: IndexMapping): IndexMapping {
    if (base.entries.size === 0) return this;
    if (this.entries.size === 0) return base;
    const entries = new Map(base.entries);
    // A multi-field of a replaced parent goes with it.
    for (const [name, e] of base.entries) if (e.parent !== undefined && this.entries.has(e.parent)) entries.delete(name);
    for (const [name, e] of this.entries) entries.set(name, e);
    return new IndexMapping(entries, [...base.sources, ...this.sources]);
  }

  /** Number of names (fields and multi-fields) the mapping defines. */
  get size(): number {
    return this.entries.size;
  }

  /** Every defined name, multi-fields included. */
  names(): IterableIterator<string> {
    return this.entries.keys();
  }

  /**
   * What the mapping says of `name`, or undefined when it does not define it.
   * An alias answers with its target's mapping (and `sourcePath`), `via: 'alias'`.
   */
  field(name: string): MappedField | undefined {
    let e = this.entries.get(name);
    if (!e) return undefined;
    if (e.mapping.type !== 'alias') return { name, mapping: e.mapping, sourcePath: e.parent ?? name, via: e.parent ? 'multi-field' : 'field', source: e.source };
    // Elasticsearch rejects alias chains and dangling aliases; a loop guard keeps a bad file from hanging.
    let path = e.mapping.path ?? name;
    for (let hops = 0; hops < 8; hops++) {
      const target = this.entries.get(path);
      if (!target) return undefined;
      if (target.mapping.type !== 'alias') return { name, mapping: target.mapping, sourcePath: target.parent ?? path, via: 'alias', source: e.source };
      e = target;
      path = target.mapping.path ?? path;
    }
    return undefined;
  }

  /**
   * `field(name)`, else the dynamic mapping Elasticsearch would give a field
   * first seen with `value` (dynamic.ts); undefined when neither applies.
   */
  resolve(name: string, value?: unknown): MappedField | undefined {
    const f = this.field(name);
    if (f) return f;
    const d = value === undefined ? undefined : dynamicMapping(value);
    return d ? { name, mapping: d, sourcePath: name, via: 'dynamic', source: 'dynamic' } : undefined;
  }
}

function addField(entries: Map<string, Entry>, name: string, mapping: FieldMapping, source: string): void {
  entries.set(name, { mapping, source });
  for (const [sub, m] of Object.entries(mapping.fields)) entries.set(`${name}.${sub}`, { mapping: m, source, parent: name });
}
