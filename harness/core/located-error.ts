/**
 * Engines see parsed data, not text. They report a problem by its *path* inside
 * the source document (e.g. `['detection', 'selection', 'Image|containz']`) and
 * optionally a character offset inside that node's scalar value (a condition
 * string, a query). The loader turns the path into file/line/column.
 */
export type DocPath = readonly (string | number)[];

export class LocatedError extends Error {
  readonly code: string;
  readonly path: DocPath;
  /** Where in the scalar at `path` the problem starts (0-based), if known. */
  readonly offset: number | undefined;
  /** Point at the map key rather than its value (unknown modifiers live in keys). */
  readonly atKey: boolean;
  constructor(code: string, message: string, path: DocPath, opts: { offset?: number; atKey?: boolean } = {}) {
    super(message);
    this.name = 'LocatedError';
    this.code = code;
    this.path = path;
    this.offset = opts.offset;
    this.atKey = opts.atKey ?? false;
  }
}

/**
 * Something that compiles but is likely not what the author meant (an empty
 * selector, several comparison operators): reported by `lint` as a warning,
 * at the same kind of location as a LocatedError.
 */
export interface LocatedWarning {
  readonly code: string;
  readonly message: string;
  readonly path: DocPath;
  readonly offset?: number;
  readonly atKey?: boolean;
}
