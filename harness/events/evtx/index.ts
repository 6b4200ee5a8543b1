/**
 * Windows event logs (.evtx), read natively: file and chunk headers with their
 * CRC-32 checks, event records, Binary XML with templates and substitutions.
 * See docs/evtx.md for the format notes and the event mapping.
 */
export { evtxItems, evtxItemsOf, isEvtxSignature, readEvtxFile } from './file.ts';
export type { EvtxItem, EvtxRecord } from './chunk.ts';
export type { EvtxProblem } from './errors.ts';
export { flattenEvent } from './flatten.ts';
export type { Json } from './to-json.ts';
