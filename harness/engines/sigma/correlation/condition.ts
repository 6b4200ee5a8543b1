import { LocatedError } from '../../../core/located-error.ts';

/**
 * The numeric part of a correlation `condition` (Sigma correlation spec,
 * "Condition"): `gt gte lt lte eq neq` against the measured value. pySigma
 * accepts exactly one operator; the spec's own "101 to 200" example uses two,
 * so (sigma.md §9 Decision) several operators are accepted and ANDed.
 */
export type ThresholdOp = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

export interface Threshold {
  readonly op: ThresholdOp;
  readonly value: number;
}

export const THRESHOLD_OPS: readonly ThresholdOp[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];

const SYMBOL: Readonly<Record<ThresholdOp, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' };

export const isThresholdOp = (k: string): k is ThresholdOp => (THRESHOLD_OPS as readonly string[]).includes(k);

/** Read one operator's operand: a finite number (YAML may give `'100'`). */
export function thresholdOf(op: ThresholdOp, raw: unknown): Threshold {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(value)) {
    throw new LocatedError('sigma/correlation', `condition '${op}' needs a number, found ${JSON.stringify(raw)}`, ['correlation', 'condition', op]);
  }
  return { op, value };
}

function holdsOne(v: number, t: Threshold): boolean {
  switch (t.op) {
    case 'gt':
      return v > t.value;
    case 'gte':
      return v >= t.value;
    case 'lt':
      return v < t.value;
    case 'lte':
      return v <= t.value;
    case 'eq':
      return v === t.value;
    case 'neq':
      return v !== t.value;
  }
}

/** Do all thresholds hold for `v`? */
export function thresholdsHold(thresholds: readonly Threshold[], v: number): boolean {
  for (const t of thresholds) if (!holdsOne(v, t)) return false;
  return true;
}

/** `count >= 3 and count <= 10`. */
export function describeThresholds(subject: string, thresholds: readonly Threshold[]): string {
  return thresholds.map((t) => `${subject} ${SYMBOL[t.op]} ${t.value}`).join(' and ');
}
