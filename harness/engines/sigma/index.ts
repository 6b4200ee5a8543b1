/**
 * The Sigma engine (Sigma specification v2.1.0, evaluated as sigma.md says):
 * detection rules and filter documents compile once into closures; the
 * correlation engine lives in `./correlation/`.
 */
export type { SigmaOptions } from './detections.ts';
export type { SigmaFilter } from './filter.ts';
export { compileFilter, filterApplies } from './filter.ts';
export { compileSigmaRule, isSigmaEventDetector, pipelineMappingOf } from './rule.ts';
