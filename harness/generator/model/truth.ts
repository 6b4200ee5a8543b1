/**
 * Four truth values for the generator's own model of a predicate tree:
 * - `T` / `F`: decided;
 * - `N`: EQL's null (a comparison on a missing field) — decided too: the event
 *   does not match, and `not N` is still `N`;
 * - `U`: unknown — the model cannot decide (an opaque leaf, a comparison whose
 *   semantics depend on the engine). Anything built from `U` that the other
 *   operands do not settle is `U`, so the generator never claims an outcome it
 *   cannot compute.
 */
export type Truth = 'T' | 'F' | 'N' | 'U';

export function andTruth(values: Iterable<Truth>): Truth {
  let sawU = false;
  let sawN = false;
  for (const v of values) {
    if (v === 'F') return 'F';
    if (v === 'U') sawU = true;
    else if (v === 'N') sawN = true;
  }
  return sawU ? 'U' : sawN ? 'N' : 'T';
}

export function orTruth(values: Iterable<Truth>): Truth {
  let sawU = false;
  let sawN = false;
  for (const v of values) {
    if (v === 'T') return 'T';
    if (v === 'U') sawU = true;
    else if (v === 'N') sawN = true;
  }
  return sawU ? 'U' : sawN ? 'N' : 'F';
}

export function notTruth(v: Truth): Truth {
  return v === 'T' ? 'F' : v === 'F' ? 'T' : v;
}

/** What the truth means for a whole rule: alert, no alert, or undecidable. */
export type ModelVerdict = 'match' | 'no-match' | 'unknown';

export function verdictOf(v: Truth): ModelVerdict {
  return v === 'T' ? 'match' : v === 'U' ? 'unknown' : 'no-match';
}
