import type { SourceSpan } from './diagnostics.ts';

/**
 * The common rule model, whatever the source format (design.md "Rule").
 * Format-specific content stays in `body`, typed per format, so engines get
 * exactly what they need and the rest of the program stays format-neutral.
 */
export type RuleFormat = 'sigma' | 'elastic';
export type RuleLanguage = 'sigma' | 'eql' | 'kuery' | 'lucene' | 'esql' | 'none';
export type RuleKind =
  | 'event'
  | 'correlation'
  | 'sequence'
  | 'threshold'
  | 'new_terms'
  | 'threat_match'
  | 'machine_learning'
  | 'esql';

export interface LogSource {
  readonly category?: string;
  readonly product?: string;
  readonly service?: string;
}

export interface RelatedRule {
  readonly id: string;
  readonly type: string;
}

export interface Rule {
  readonly id: string;
  /** Sigma `name` (unique slug used by correlations and filters). */
  readonly name?: string;
  readonly title: string;
  readonly format: RuleFormat;
  readonly language: RuleLanguage;
  readonly kind: RuleKind;
  readonly status?: string;
  /** Sigma `level` / Elastic `severity`. */
  readonly level?: string;
  readonly description?: string;
  /** ATT&CK technique ids, upper-case: `T1059`, `T1059.001`. */
  readonly techniques: readonly string[];
  /** ATT&CK tactic short names: `execution`, `credential-access`. */
  readonly tactics: readonly string[];
  readonly tags: readonly string[];
  readonly logsource?: LogSource;
  /** Elastic index patterns. */
  readonly index?: readonly string[];
  readonly related: readonly RelatedRule[];
  /** File and line of the document the rule came from. */
  readonly source: SourceSpan;
  /** Index of the document inside a multi-document file (0 for single documents). */
  readonly document: number;
  /** The format-specific document (the parsed YAML mapping / TOML table). */
  readonly body: Readonly<Record<string, unknown>>;
}
