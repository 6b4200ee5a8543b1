import type { Rule } from '../core/rule.ts';

/** What kind of change a mutant makes (the mutation operators of the issue). */
export type MutationOperator =
  | 'swap-match-position' // contains ↔ startswith ↔ endswith ↔ exact
  | 'drop-value' // one value of a list removed
  | 'drop-field' // one field constraint of a selection removed
  | 'drop-clause' // a selection / clause replaced by always-true or always-false
  | 'flip-bool' // and ↔ or
  | 'remove-not'
  | 'quantifier' // 1 of ↔ all of
  | 'toggle-case' // case-insensitive ↔ case-sensitive
  | 'swap-comparison' // == ↔ !=, > ↔ >=, < ↔ <=
  | 'shift-number' // a number, threshold or window widened / narrowed
  | 'sequence-order' // two steps of a sequence swapped
  | 'drop-join-key'; // a sequence / group key removed

/** One mutated rule, with the change shown as a reader would write it. */
export interface Mutant {
  readonly operator: MutationOperator;
  /** e.g. `detection.selection.CommandLine|contains → CommandLine|startswith`. */
  readonly description: string;
  readonly rule: Rule;
}

/** A rule with one body key replaced: the mutant's rule, same id and source. */
export function withBody(rule: Rule, body: Readonly<Record<string, unknown>>): Rule {
  return { ...rule, body };
}
