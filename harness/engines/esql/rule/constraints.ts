/**
 * The ES|QL rule's logic as data (`Detector.constraints()`): the constraint
 * builder of esql/constraints/ — WHERE stages as a predicate tree, STATS … BY
 * with its threshold WHERE as an aggregate.
 */
export { esqlConstraints } from '../constraints/query-constraints.ts';
