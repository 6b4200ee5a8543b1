/**
 * The detection-item walk every item-level transformation shares (pySigma
 * `DetectionItemTransformation.apply_detection`): visit each item of each
 * search identifier, nested ones too; where the processing item's guards
 * match, let the transformation replace it (an item, a detection, or nothing).
 */
import type { ParsedDetection } from '../detection.ts';
import type { ParsedItem } from '../detection-item.ts';
import type { SigmaValue } from '../values.ts';
import type { ItemGuard, RuleView, Run, Transformation } from './model.ts';
import { showValue } from './sigma-text.ts';

/** What a transformation makes of one item: a replacement, `drop`, or undefined for unchanged. */
export type ItemResult = ParsedItem | ParsedDetection | 'drop' | undefined;

const mark = <T extends ParsedItem | ParsedDetection>(x: T, id: string): T => (x.applied.includes(id) ? x : { ...x, applied: [...x.applied, id] });

function walk(d: ParsedDetection, run: Run, guard: ItemGuard, f: (item: ParsedItem) => ItemResult): ParsedDetection {
  let changed = false;
  const items: (ParsedDetection | ParsedItem)[] = [];
  for (const x of d.items) {
    if (x.kind === 'detection') {
      const y = walk(x, run, guard, f);
      changed ||= y !== x;
      items.push(y);
      continue;
    }
    const r = guard.matchItem(x, run) ? f(x) : undefined;
    if (r === undefined) items.push(x);
    else {
      changed = true;
      if (r !== 'drop') items.push(mark(r, guard.id));
    }
  }
  return changed ? { ...d, items } : d;
}

/** Apply `f` to every item the guard admits, and mark the rule as processed by the item. */
export function eachItem(rule: RuleView, run: Run, guard: ItemGuard, f: (item: ParsedItem) => ItemResult): void {
  rule.applied.add(guard.id);
  if (rule.kind !== 'event') return;
  for (const [name, d] of rule.ids) rule.ids.set(name, walk(d, run, guard, f));
}

/** The item with new values; its label shows them as the pipeline left them. */
export function withValues(item: ParsedItem, values: readonly SigmaValue[]): ParsedItem {
  const shown = values.map(showValue);
  return { ...item, values, raw: shown.length === 1 ? shown[0] : shown, listed: false };
}

/** The item under another field name (the label's key keeps its modifiers). */
export function withField(item: ParsedItem, field: string | null): ParsedItem {
  const key = field === null && item.modifiers.length === 0 ? null : [field ?? '', ...item.modifiers].join('|');
  return { ...item, field, key };
}

/**
 * pySigma `ValueTransformation`: each value → a replacement, several (spliced in), or undefined (kept).
 * The item is replaced only when some value changed.
 */
export function valueTransformation(applyValue: (field: string | null, v: SigmaValue, item: ParsedItem, run: Run) => SigmaValue | readonly SigmaValue[] | undefined, note?: string): Transformation {
  return {
    apply(rule, run, guard) {
      eachItem(rule, run, guard, (item) => {
        let modified = false;
        const out: SigmaValue[] = [];
        for (const v of item.values) {
          const r = applyValue(item.field, v, item, run);
          if (r === undefined) out.push(v);
          else {
            modified = true;
            if (Array.isArray(r)) out.push(...(r as readonly SigmaValue[]));
            else out.push(r as SigmaValue);
          }
        }
        if (!modified) return undefined;
        if (note) run.notes.push(`${note}: ${item.key ?? 'keyword'}`);
        return withValues(item, out);
      });
    },
  };
}
