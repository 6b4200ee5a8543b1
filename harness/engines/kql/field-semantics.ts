import { KNOWN_DATE_FIELDS } from './date-value.ts';
import type { FieldIndex } from '../common/prepared-event.ts';
import { familyOf, type FieldMapping, type IndexMapping, type MappedField, type NullValue, type TypeFamily } from '../../mapping/index.ts';
import { indexValue, type IndexValue } from '../../mapping/indexed-value.ts';

/**
 * Which matching semantics a field gets, decided once at compile time:
 * 1. the index mapping (`mapping`: ECS and the project's own mapping files,
 *    harness/mapping) wins: its type picks the semantics, and its parameters
 *    (ignore_above, null_value, coercion, date format) how each event value
 *    is indexed (docs/typing.md);
 * 2. else an optional flat `fieldTypes` map;
 * 3. `x.caseless` → case-insensitive keyword, on `x` when the event has no
 *    `x.caseless` (multi-fields exist only in an index, never in a document);
 * 4. `x.text`, `message`, `error.message` → analysed text (analysed-text.ts),
 *    likewise on `x` when `x.text` is absent;
 * 5. otherwise `auto`: the JSON type of each event value stands in for the
 *    mapping, as a dynamic mapping would — string → case-sensitive keyword
 *    (IP semantics when both sides parse as IPs), number → numeric,
 *    boolean → boolean; known ECS date fields → date semantics.
 */
export type Semantics = 'auto' | 'keyword' | 'caseless' | 'text' | 'date' | 'number' | 'ip' | 'boolean' | 'version';

/** A field type in a `fieldTypes` map: one of our semantics or an Elasticsearch mapping type. */
export type FieldType = Exclude<Semantics, 'auto'> | string;

export interface QueryOptions {
  /** The index mapping fields are typed by (harness/mapping); fields it does not define are planned as below. */
  readonly mapping?: IndexMapping;
  /** Flat field → type map (ES types such as `keyword`, `match_only_text`, `long`, `ip`, `date`, or `caseless`). */
  readonly fieldTypes?: Readonly<Record<string, FieldType>>;
  /** "now" for date math, epoch millis (scenario runs pass their reference time); default: compile time. */
  readonly now?: number;
  /** The index whose prepared events `matchesPrepared` reads fast (prepared-event.ts); default: the process-wide one `prepareEvent` uses. */
  readonly fieldIndex?: FieldIndex;
}

/** What the mapping adds to a plan: how each event value is indexed. */
export interface FieldTyping {
  /** Which mapping typed the field (`ECS 9.5.0-dev`, a mapping file), for explain. */
  readonly source: string;
  readonly mapping: FieldMapping;
  /** Event value → indexed value (NOT_INDEXED: the field has no value); undefined: values as they come. */
  readonly index: IndexValue | undefined;
  /** Indexed in place of an explicit null (`null_value`). */
  readonly nullValue: NullValue | undefined;
  /** constant_keyword: the value of every document, field present or not. */
  readonly constant: NullValue | undefined;
}

export interface FieldPlan {
  /** The path read first. */
  readonly path: string;
  /** Read instead when `path` has no value (`.caseless` / `.text` multi-fields). */
  readonly fallback: string | null;
  readonly semantics: Semantics;
  /** Set when an index mapping typed the field. */
  readonly typing?: FieldTyping;
  /** A mapping was given and does not define the field: its values' JSON types stand in (dynamic mapping). */
  readonly dynamic?: boolean;
}

const ES_TYPES: Readonly<Record<string, Semantics>> = {
  keyword: 'keyword', constant_keyword: 'keyword', wildcard: 'keyword', flattened: 'keyword',
  caseless: 'caseless', text: 'text', match_only_text: 'text',
  long: 'number', integer: 'number', short: 'number', byte: 'number', double: 'number', float: 'number',
  half_float: 'number', scaled_float: 'number', unsigned_long: 'number', number: 'number',
  date: 'date', date_nanos: 'date', ip: 'ip', boolean: 'boolean', version: 'version',
};

const FAMILY_SEMANTICS: Readonly<Record<TypeFamily, Semantics>> = {
  keyword: 'keyword', text: 'text', ip: 'ip', integer: 'number', decimal: 'number', date: 'date', boolean: 'boolean', version: 'version', object: 'auto', other: 'auto',
};

const TEXT_FIELDS: ReadonlySet<string> = new Set(['message', 'error.message']);

function multiFieldParent(name: string, suffix: string): string | null {
  return name.endsWith(suffix) && name.length > suffix.length ? name.slice(0, -suffix.length) : null;
}

/** The semantics of a mapped field: its type's family; a keyword with the lowercase normalizer is caseless. */
export function semanticsOf(m: FieldMapping): Semantics {
  if (m.normalizer === 'lowercase') return 'caseless';
  return FAMILY_SEMANTICS[familyOf(m.type)];
}

function mappedPlan(f: MappedField): FieldPlan {
  const m = f.mapping;
  const typing: FieldTyping = { source: f.source, mapping: m, index: indexValue(m), nullValue: m.nullValue, constant: m.type === 'constant_keyword' ? m.value : undefined };
  const semantics = semanticsOf(m);
  // A multi-field is read from the document under its own name first (events written by hand may carry it), then from its parent.
  if (f.via === 'multi-field') return { path: f.name, fallback: f.sourcePath, semantics, typing };
  return { path: f.sourcePath, fallback: null, semantics, typing };
}

/** The plan for one concrete field name. */
export function planField(name: string, opts: QueryOptions = {}): FieldPlan {
  const mapped = opts.mapping?.field(name);
  if (mapped) return mappedPlan(mapped);
  const caselessParent = multiFieldParent(name, '.caseless');
  const textParent = multiFieldParent(name, '.text');
  const fallback = caselessParent ?? textParent;
  const declared = opts.fieldTypes?.[name];
  if (declared !== undefined) return { path: name, fallback, semantics: ES_TYPES[declared] ?? 'auto' };
  if (caselessParent) return { path: name, fallback, semantics: 'caseless' };
  if (textParent || TEXT_FIELDS.has(name)) return { path: name, fallback, semantics: 'text' };
  if (KNOWN_DATE_FIELDS.has(name)) return { path: name, fallback: null, semantics: 'date' };
  return opts.mapping ? { path: name, fallback: null, semantics: 'auto', dynamic: true } : { path: name, fallback: null, semantics: 'auto' };
}

/** How explain() names each semantics. */
export const SEMANTICS_LABEL: Readonly<Record<Semantics, string>> = {
  auto: 'by value type',
  keyword: 'keyword: case-sensitive',
  caseless: 'keyword: case-insensitive',
  text: 'analysed text',
  date: 'date',
  number: 'numeric',
  ip: 'ip',
  boolean: 'boolean',
  version: 'version',
};
