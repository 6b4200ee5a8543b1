import { diffString } from 'json-diff';
import type { Event } from '../core/event.ts';

/** Each changed event of a variant as a json-diff against the case's original event. */
export function renderEventDiffs(original: readonly Event[], variant: readonly Event[]): string {
  const out: string[] = [];
  const n = Math.max(original.length, variant.length);
  for (let i = 0; i < n; i++) {
    const d = diffString(original[i] ?? {}, variant[i] ?? {}, { color: false, maxElisions: 2 });
    if (d.trim() !== '') out.push(`event ${i} (- original, + variant):\n${d.trimEnd()}`);
  }
  return out.length ? out.join('\n') : '(events identical to the case)';
}
