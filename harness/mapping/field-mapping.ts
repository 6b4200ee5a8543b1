import type { FieldType } from './field-type.ts';

/** A value a mapping may substitute for JSON `null` (`null_value`). */
export type NullValue = string | number | boolean;

/**
 * One field's mapping, as an Elasticsearch mapping declares it (the
 * parameters the engines need; everything else is ignored).
 */
export interface FieldMapping {
  readonly type: FieldType;
  /** The type as written in the mapping (differs from `type` only when `type` is `other`). */
  readonly esType: string;
  /** Multi-fields by sub-name: `{ text: match_only_text }` for `process.command_line`. */
  readonly fields: Readonly<Record<string, FieldMapping>>;
  /** keyword / wildcard / flattened: longer strings are not indexed (a term query cannot match them). */
  readonly ignoreAbove?: number;
  /** Indexed in place of an explicit `null`. */
  readonly nullValue?: NullValue;
  /** date / date_nanos: the `format` (Elasticsearch's default: `strict_date_optional_time||epoch_millis`). */
  readonly format?: string;
  /** alias: the path of the field it stands for. */
  readonly path?: string;
  /** keyword: a normalizer name (`lowercase` makes terms match case-insensitively). */
  readonly normalizer?: string;
  /** scaled_float: values are stored as `round(value * scalingFactor)`. */
  readonly scalingFactor?: number;
  /** constant_keyword: the one value every document has. */
  readonly value?: NullValue;
}

/** How a name was found in a mapping. */
export type MappedVia = 'field' | 'multi-field' | 'alias' | 'dynamic';

/** The answer to "what is field `name` in this index?". */
export interface MappedField {
  /** The name asked for. */
  readonly name: string;
  readonly mapping: FieldMapping;
  /** Where the value lives in a document: the alias target, a multi-field's parent, else `name`. */
  readonly sourcePath: string;
  readonly via: MappedVia;
  /** Which mapping defined it: `ECS 9.5.0-dev`, a mapping file's path, or `dynamic`. */
  readonly source: string;
}
