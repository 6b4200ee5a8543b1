import { KNOWN_DATE_FIELDS } from './date-value.ts';
import type { FieldIndex } from '../common/prepared-event.ts';

/**
 * Which matching semantics a field gets — the mapping-less strategy of
 * kql.md §9, which is normative for this engine (shared with ../lucene):
 * 1. an optional `fieldTypes` map (ECS / integration flat mapping) wins;
 * 2. `x.caseless` → case-insensitive keyword, on `x` when the event has no
 *    `x.caseless` (multi-fields exist only in an index, never in a document);
 * 3. `x.text`, `message`, `error.message` → analysed text (analysed-text.ts),
 *    likewise on `x` when `x.text` is absent;
 * 4. otherwise `auto`: the JSON type of each event value stands in for the
 *    mapping — string → case-sensitive keyword (IP semantics when both sides
 *    parse as IPs), number → numeric, boolean → boolean; known ECS date fields
 *    → date semantics.
 */
export type Semantics = 'auto' | 'keyword' | 'caseless' | 'text' | 'date' | 'number' | 'ip' | 'boolean';

/** A field type in a `fieldTypes` map: one of our semantics or an Elasticsearch mapping type. */
export type FieldType = Exclude<Semantics, 'auto'> | string;

export interface QueryOptions {
  /** Flat field → type map (ES types such as `keyword`, `match_only_text`, `long`, `ip`, `date`, or `caseless`). */
  readonly fieldTypes?: Readonly<Record<string, FieldType>>;
  /** "now" for date math, epoch millis (scenario runs pass their reference time); default: compile time. */
  readonly now?: number;
  /** The index whose prepared events `matchesPrepared` reads fast (prepared-event.ts); default: the process-wide one `prepareEvent` uses. */
  readonly fieldIndex?: FieldIndex;
}

export interface FieldPlan {
  /** The path read first. */
  readonly path: string;
  /** Read instead when `path` has no value (`.caseless` / `.text` multi-fields). */
  readonly fallback: string | null;
  readonly semantics: Semantics;
}

const ES_TYPES: Readonly<Record<string, Semantics>> = {
  keyword: 'keyword', constant_keyword: 'keyword', wildcard: 'keyword', flattened: 'keyword',
  caseless: 'caseless', text: 'text', match_only_text: 'text',
  long: 'number', integer: 'number', short: 'number', byte: 'number', double: 'number', float: 'number',
  half_float: 'number', scaled_float: 'number', unsigned_long: 'number', number: 'number',
  date: 'date', date_nanos: 'date', ip: 'ip', boolean: 'boolean',
};

const TEXT_FIELDS: ReadonlySet<string> = new Set(['message', 'error.message']);

function multiFieldParent(name: string, suffix: string): string | null {
  return name.endsWith(suffix) && name.length > suffix.length ? name.slice(0, -suffix.length) : null;
}

/** The plan for one concrete field name. */
export function planField(name: string, opts: QueryOptions = {}): FieldPlan {
  const caselessParent = multiFieldParent(name, '.caseless');
  const textParent = multiFieldParent(name, '.text');
  const fallback = caselessParent ?? textParent;
  const declared = opts.fieldTypes?.[name];
  if (declared !== undefined) return { path: name, fallback, semantics: ES_TYPES[declared] ?? 'auto' };
  if (caselessParent) return { path: name, fallback, semantics: 'caseless' };
  if (textParent || TEXT_FIELDS.has(name)) return { path: name, fallback, semantics: 'text' };
  if (KNOWN_DATE_FIELDS.has(name)) return { path: name, fallback: null, semantics: 'date' };
  return { path: name, fallback: null, semantics: 'auto' };
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
};
