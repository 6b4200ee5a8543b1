/**
 * Event time: ISO-8601 strings (UTC when no offset is given) and epoch numbers
 * (seconds, or milliseconds when larger than 10^12). Returns ms since epoch.
 */
const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/** The range a JavaScript Date can hold; beyond it a time cannot be shown or compared as a date. */
const MAX_MS = 8.64e15;

export function parseTimestamp(v: unknown): number | undefined {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    const ms = Math.abs(v) > 1e12 ? v : v * 1000;
    // Found by evaluation fuzzing: an out-of-range epoch made `new Date(ms).toISOString()` throw.
    return Math.abs(ms) <= MAX_MS ? ms : undefined;
  }
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const s = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return parseTimestamp(Number(s));
  const iso = ISO_NO_ZONE.test(s) ? `${s.replace(' ', 'T')}${s.length > 10 ? 'Z' : 'T00:00:00Z'}` : s;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
