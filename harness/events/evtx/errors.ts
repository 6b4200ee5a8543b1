/**
 * A structural fault in an EVTX file, located by its absolute byte offset in the file.
 * The reader catches these per record (or per chunk) and reports them; it never lets
 * one escape from iteration.
 */
export class EvtxFormatError extends Error {
  constructor(
    message: string,
    /** Byte offset in the file (or in the chunk buffer, before `at()` relocates it). */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'EvtxFormatError';
  }
}

/** A record, chunk or header the reader skipped or stopped at, with where and why. */
export interface EvtxProblem {
  readonly offset: number;
  readonly message: string;
  /** What was lost: one record, the rest of a chunk, or the rest of the file. */
  readonly scope: 'record' | 'chunk' | 'file';
}
