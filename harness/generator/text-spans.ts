import { normalizePattern, type CaseMode, type Pattern } from '../engines/common/pattern.ts';

/**
 * How a wildcard pattern lines up with a value it matches: for every UTF-16
 * position of the value, whether it is part of a literal (`lit`), covered by a
 * `*` (`star`) or by a `?` (`one`). Text under a `*` can be replaced by any
 * text and the pattern still matches — that is what "vary the text around the
 * fixed parts" means, decided from the pattern alone.
 */
export type Role = 'lit' | 'star' | 'one';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Roles of each position, or undefined when the pattern does not match (or folding changes lengths). */
export function positionRoles(value: string, pattern: Pattern, mode: CaseMode): Role[] | undefined {
  const p = normalizePattern(pattern);
  const ci = mode === 'insensitive';
  const subject = ci ? value.toLowerCase() : value;
  if (subject.length !== value.length) return undefined;
  const body = p.map((t) => (t.kind === 'star' ? '(.*?)' : t.kind === 'one' ? '(.)' : `(${escapeRegExp(ci ? t.text.toLowerCase() : t.text)})`)).join('');
  let re: RegExp;
  try {
    re = new RegExp(`^${body}$`, 'sud');
  } catch {
    return undefined;
  }
  const m = re.exec(subject);
  if (!m?.indices) return undefined;
  const roles: Role[] = new Array<Role>(value.length).fill('lit');
  p.forEach((t, i) => {
    const span = m.indices![i + 1];
    if (!span) return;
    const role: Role = t.kind === 'star' ? 'star' : t.kind === 'one' ? 'one' : 'lit';
    for (let k = span[0]; k < span[1]; k++) roles[k] = role;
  });
  return roles;
}

/** Literal spans `[start, end)` of the value, as the pattern aligns with it. */
export function literalSpans(value: string, pattern: Pattern, mode: CaseMode): [number, number][] {
  const roles = positionRoles(value, pattern, mode);
  if (!roles) return [];
  const out: [number, number][] = [];
  let start = -1;
  roles.forEach((r, i) => {
    if (r === 'lit' && start < 0) start = i;
    if (r !== 'lit' && start >= 0) {
      out.push([start, i]);
      start = -1;
    }
  });
  if (start >= 0) out.push([start, roles.length]);
  return out;
}

/**
 * Maximal runs of positions that are under a `*` for every pattern given,
 * plus the empty gaps where a `*` matched nothing (as zero-length runs),
 * so filler can be inserted there too.
 */
export function freeRuns(value: string, patterns: readonly { pattern: Pattern; mode: CaseMode }[]): [number, number][] | undefined {
  const all: Role[][] = [];
  for (const { pattern, mode } of patterns) {
    const r = positionRoles(value, pattern, mode);
    if (!r) return undefined;
    all.push(r);
  }
  const free = (i: number) => all.every((r) => r[i] === 'star');
  const out: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= value.length; i++) {
    const f = i < value.length && free(i);
    if (f && start < 0) start = i;
    if (!f && start >= 0) {
      out.push([start, i]);
      start = -1;
    }
  }
  // Ends of the value that every pattern leaves open (`x*`, `*x`) take filler even when empty there.
  const openStart = patterns.every((p) => normalizePattern(p.pattern)[0]?.kind === 'star');
  const openEnd = patterns.every((p) => normalizePattern(p.pattern).at(-1)?.kind === 'star');
  if (openStart && !out.some(([s]) => s === 0)) out.unshift([0, 0]);
  if (openEnd && !out.some(([, e]) => e === value.length)) out.push([value.length, value.length]);
  return out;
}
