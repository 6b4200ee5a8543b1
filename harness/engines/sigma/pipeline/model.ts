/**
 * The processing-pipeline model (pySigma `sigma/processing/pipeline.py`): a
 * pipeline is an ordered list of processing items, each a transformation
 * guarded by rule, detection-item and field-name conditions. Applying it
 * rewrites a rule's parsed detection (ParsedSection) before compiling.
 */
import type { DocPath } from '../../../core/located-error.ts';
import type { ParsedDetection } from '../detection.ts';
import type { ParsedItem } from '../detection-item.ts';
import type { ParsedCondition } from '../detections.ts';

/** The rule while a pipeline processes it (pySigma `SigmaRule`, the parts pipelines read and write). */
export interface RuleView {
  readonly kind: 'event' | 'correlation';
  readonly body: Readonly<Record<string, unknown>>;
  logsource: { category: string | null; product: string | null; service: string | null };
  readonly tags: readonly string[];
  fields: string[];
  readonly customAttributes: Map<string, unknown>;
  ids: Map<string, ParsedDetection>;
  conditions: ParsedCondition[];
  /** Ids of processing items applied to the rule as a whole. */
  readonly applied: Set<string>;
}

/** Per-rule state of one pipeline run (pySigma resets these in `apply`). */
export interface Run {
  readonly vars: Readonly<Record<string, unknown>>;
  readonly state: Map<string, unknown>;
  /** Field name → ids of the items that produced it (`field_name_applied_ids`). */
  readonly fieldApplied: Map<string, Set<string>>;
  /** Source field → target fields, for strict mapping and `explain` (`FieldMappingTracking`). */
  readonly fieldMappings: Map<string | null, Set<string>>;
  /** What each applied item did, in order, for `explain` and `review`. */
  readonly notes: string[];
}

/** The item whose transformation runs: its id and its detection-item/field-name guards. */
export interface ItemGuard {
  readonly id: string;
  matchItem(item: ParsedItem, run: Run): boolean;
  matchField(field: string | null, run: Run): boolean;
  /** A field reference value's field (`match_field_in_value`). */
  matchFieldRef(field: string, run: Run): boolean;
}

export interface Transformation {
  apply(rule: RuleView, run: Run, guard: ItemGuard): void;
}

export interface ProcessingItem extends ItemGuard {
  readonly type: string;
  /** Where the item is defined, for messages. */
  readonly where: string;
  matchRule(rule: RuleView, run: Run): boolean;
  readonly transformation: Transformation;
}

export interface Pipeline {
  readonly name: string;
  readonly priority: number;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly items: readonly ProcessingItem[];
  /** The file it came from (a built-in's data file too). */
  readonly file: string;
  /** What was read but is ignored here (postprocessing, finalizers), with why. */
  readonly warnings: readonly string[];
}

/** The pipeline rejects the rule (rule_failure, detection_item_failure, strict mapping, a value it cannot convert). */
export class PipelineRejection extends Error {
  constructor(
    message: string,
    readonly path: DocPath = [],
  ) {
    super(message);
    this.name = 'PipelineRejection';
  }
}

/** A pipeline file that cannot be used: what is wrong and where inside the document. */
export class PipelineConfigError extends Error {
  constructor(
    message: string,
    readonly path: DocPath,
    readonly atKey = false,
  ) {
    super(message);
    this.name = 'PipelineConfigError';
  }
}
