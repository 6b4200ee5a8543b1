/**
 * The relative date math rule schedules use (`now-14d`, `now-9m`, `now-30d/d`):
 * returns the offset from "now" in ms (negative into the past), ignoring a
 * trailing rounding unit; undefined when the text is not of that form.
 */
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000, y: 31_536_000_000 };

export function relativeOffsetMs(expr: string): number | undefined {
  const m = /^now(?:([+-])(\d+)([smhdwMy]))?(?:\/[smhdwMy])?$/.exec(expr.trim());
  if (!m) return undefined;
  if (!m[1]) return 0;
  const n = Number(m[2]) * UNIT_MS[m[3]!]!;
  return m[1] === '-' ? -n : n;
}
