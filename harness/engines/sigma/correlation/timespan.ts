/**
 * Correlation `timespan` (Sigma correlation spec, "Time Selection"): a positive
 * integer followed by one lower-case unit letter — `30s`, `5m`, `1h`, `1d`.
 * pySigma (`SigmaCorrelationTimespan`) also accepts `w`, `M` (2629746 s) and
 * `y` (31556952 s); we accept the same set so rules valid there load here.
 */
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2629746, y: 31556952 };

const TIMESPAN = /^(\d+)([smhdwMy])$/;

/**
 * The timespan in milliseconds, or an error message.
 * @example parseTimespan('5m') // { ok: true, ms: 300000 }
 */
export function parseTimespan(spec: unknown): { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string } {
  if (typeof spec !== 'string') return { ok: false, message: `timespan must be a string such as '5m', found ${spec === undefined ? 'nothing' : JSON.stringify(spec)}` };
  const m = TIMESPAN.exec(spec);
  if (!m) return { ok: false, message: `invalid timespan '${spec}': use a positive integer and a unit s, m, h, d (or w, M, y), e.g. '90m'` };
  const count = Number(m[1]);
  if (count <= 0) return { ok: false, message: `timespan '${spec}' must be greater than zero` };
  return { ok: true, ms: count * UNIT_SECONDS[m[2]!]! * 1000 };
}
