/**
 * Mutants of a Sigma rule, made on its parsed detection section (never on
 * text): swapped match positions, dropped values / fields / selections,
 * flipped condition operators, removed negations, toggled `|cased`, shifted
 * numbers and correlation windows / thresholds.
 */
import type { Rule } from '../core/rule.ts';
import { type Mutant, type MutationOperator, withBody } from './model.ts';
import { isRecord } from '../core/event.ts';

type Json = unknown;
const clone = <T>(v: T): T => structuredClone(v);

/** Identifiers that are always true / always false, used to drop a selection from the condition. */
const ALWAYS = '_rh_always';
const NEVER = '_rh_never';
const MISSING_FIELD = 'rule_harness_mutation_no_such_field';

const POSITIONS = ['contains', 'startswith', 'endswith'] as const;

export function sigmaMutants(rule: Rule): Mutant[] {
  if (rule.kind === 'correlation') return correlationMutants(rule);
  const detection = rule.body.detection;
  if (!isRecord(detection)) return [];
  const out: Mutant[] = [];
  const push = (operator: MutationOperator, description: string, det: Record<string, unknown>) =>
    out.push({ operator, description, rule: withBody(rule, { ...rule.body, detection: det }) });

  for (const [ident, search] of Object.entries(detection)) {
    if (ident === 'condition' || ident === 'timeframe') continue;
    const maps = Array.isArray(search) ? search.map((m, i) => [m, i] as const) : [[search, -1] as const];
    for (const [m, listIndex] of maps) {
      const where = listIndex >= 0 ? `${ident}[${listIndex}]` : ident;
      const replaceMap = (next: Json): Record<string, unknown> => {
        const det = clone(detection);
        if (listIndex >= 0) (det[ident] as Json[])[listIndex] = next;
        else det[ident] = next;
        return det;
      };
      if (Array.isArray(m) && m.length > 1) {
        // Keyword list: drop each value.
        m.forEach((v, i) => push('drop-value', `${where}: drop keyword ${JSON.stringify(v)}`, replaceMap(m.filter((_, j) => j !== i))));
        continue;
      }
      if (!isRecord(m)) continue;
      const keys = Object.keys(m);
      for (const key of keys) {
        const value = m[key];
        const [field, ...mods] = key.split('|');
        const rekey = (newKey: string): Json => Object.fromEntries(Object.entries(m).map(([k, v]) => (k === key ? [newKey, v] : [k, v])));
        // Match position swaps (only on plain string matching, not regex / cidr / numeric).
        const position = mods.find((x): x is (typeof POSITIONS)[number] => (POSITIONS as readonly string[]).includes(x));
        const plainString = !mods.some((x) => ['re', 'cidr', 'exists', 'gt', 'gte', 'lt', 'lte', 'fieldref', 'base64', 'base64offset', 'expand'].includes(x));
        if (plainString && field !== undefined) {
          const others = mods.filter((x) => !(POSITIONS as readonly string[]).includes(x));
          for (const p of [...POSITIONS, undefined]) {
            if (p === position) continue;
            const newKey = [field, ...(p ? [p] : []), ...others].join('|');
            push('swap-match-position', `${where}.${key} → ${newKey}`, replaceMap(rekey(newKey)));
          }
          const cased = mods.includes('cased');
          const toggled = cased ? [field, ...mods.filter((x) => x !== 'cased')].join('|') : [field, ...mods, 'cased'].join('|');
          if (hasLetters(value)) push('toggle-case', `${where}.${key} → ${toggled}`, replaceMap(rekey(toggled)));
        }
        if (Array.isArray(value) && value.length > 1) {
          value.forEach((v, i) => {
            // Equivalent mutant: another value already matches everything this one does.
            if (plainString && subsumedByAnother(value, i, position, mods.includes('cased'), mods.includes('all'))) return;
            push('drop-value', `${where}.${key}: drop value ${JSON.stringify(v)}`, replaceMap({ ...m, [key]: value.filter((_, j) => j !== i) }));
          });
        }
        if (typeof value === 'number') {
          for (const d of [-1, 1]) push('shift-number', `${where}.${key}: ${value} → ${value + d}`, replaceMap({ ...m, [key]: value + d }));
        }
        const cmp = mods.find((x) => ['gt', 'gte', 'lt', 'lte'].includes(x));
        if (cmp && field !== undefined) {
          const flipped = { gt: 'gte', gte: 'gt', lt: 'lte', lte: 'lt' }[cmp]!;
          const newKey = [field, ...mods.map((x) => (x === cmp ? flipped : x))].join('|');
          push('shift-number', `${where}.${key} → ${newKey}`, replaceMap(rekey(newKey)));
        }
        if (keys.length > 1) {
          const rest = Object.fromEntries(Object.entries(m).filter(([k]) => k !== key));
          push('drop-field', `${where}: drop ${key}`, replaceMap(rest));
        }
      }
    }
  }
  out.push(...conditionMutants(rule, detection));
  return out;
}

/**
 * Is value `i` of an OR-list redundant, because another value matches a superset
 * (contains 'ab' covers contains 'abc'; case-folded unless `cased`)? For an
 * `|all` list the other way round: a value implied by a longer one is redundant.
 * Values with wildcards are never judged equivalent.
 */
export function subsumedByAnother(values: readonly unknown[], i: number, position: string | undefined, cased: boolean, all: boolean): boolean {
  const norm = (v: unknown): string | undefined => (typeof v === 'string' && !/[*?]/.test(v) ? (cased ? v : v.toLowerCase()) : typeof v === 'number' ? String(v) : undefined);
  const v = norm(values[i]);
  if (v === undefined) return false;
  const covers = (weak: string, strong: string): boolean =>
    position === 'contains' ? strong.includes(weak) : position === 'startswith' ? strong.startsWith(weak) : position === 'endswith' ? strong.endsWith(weak) : strong === weak;
  return values.some((other, j) => {
    if (j === i) return false;
    const w = norm(other);
    if (w === undefined) return false;
    // Equal values: drop only the later duplicate, so one of them stays a mutant.
    if (w === v) return j < i;
    return all ? covers(v, w) : covers(w, v);
  });
}

function hasLetters(v: unknown): boolean {
  const values = Array.isArray(v) ? v : [v];
  return values.some((x) => typeof x === 'string' && /[a-z]/i.test(x));
}

/** Condition-level mutants: flip and/or, remove not, swap quantifiers, drop a selection. */
function conditionMutants(rule: Rule, detection: Record<string, unknown>): Mutant[] {
  const conditions = Array.isArray(detection.condition) ? detection.condition : [detection.condition];
  if (!conditions.every((c): c is string => typeof c === 'string')) return [];
  const out: Mutant[] = [];
  const withCondition = (i: number, text: string, extra: Record<string, unknown> = {}) => {
    const det: Record<string, unknown> = { ...clone(detection), ...extra };
    det.condition = Array.isArray(detection.condition) ? conditions.map((c, j) => (j === i ? text : c)) : text;
    return withBody(rule, { ...rule.body, detection: det });
  };
  const identifiers = Object.keys(detection).filter((k) => k !== 'condition' && k !== 'timeframe');
  conditions.forEach((cond, i) => {
    for (const [re, replace, operator] of [
      [/\band\b/gi, 'or', 'flip-bool'],
      [/\bor\b/gi, 'and', 'flip-bool'],
      [/\bnot\s+/gi, '', 'remove-not'],
      [/\b1 of\b/gi, 'all of', 'quantifier'],
      [/\ball of\b/gi, '1 of', 'quantifier'],
    ] as const) {
      for (const m of cond.matchAll(re)) {
        // `1 of x*` and `all of x*` are the same when the pattern names one identifier.
        if (operator === 'quantifier' && quantifiedCount(cond.slice(m.index + m[0].length), identifiers) <= 1) continue;
        const text = cond.slice(0, m.index) + replace + cond.slice(m.index + m[0].length);
        out.push({ operator, description: `condition '${cond}' → '${text}'`, rule: withCondition(i, text) });
      }
    }
    // Drop a selection: replace one named identifier by always-true and by always-false;
    // whichever changes the rule's meaning in context is what a scenario must notice.
    const extra = { [ALWAYS]: { [`${MISSING_FIELD}|exists`]: false }, [NEVER]: { [`${MISSING_FIELD}|exists`]: true } };
    for (const ident of identifiers) {
      const re = new RegExp(`(?<![\\w*])${ident.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w*])`, 'g');
      for (const m of cond.matchAll(re)) {
        for (const stand of [ALWAYS, NEVER]) {
          const text = cond.slice(0, m.index) + stand + cond.slice(m.index + m[0].length);
          out.push({ operator: 'drop-clause', description: `condition: '${ident}' → always ${stand === ALWAYS ? 'true' : 'false'}`, rule: withCondition(i, text, extra) });
        }
      }
    }
  });
  return out;
}

/** How many identifiers the target of `1 of` / `all of` (the text after it) names. */
function quantifiedCount(rest: string, identifiers: readonly string[]): number {
  const target = /^\s*([\w*]+)/.exec(rest)?.[1];
  if (!target) return Infinity;
  if (target === 'them') return identifiers.filter((x) => !x.startsWith('_')).length;
  const re = new RegExp(`^${target.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return identifiers.filter((x) => re.test(x)).length;
}

/** Correlation mutants: widen / narrow the window and the threshold, drop a group-by key. */
function correlationMutants(rule: Rule): Mutant[] {
  const corr = rule.body.correlation;
  if (!isRecord(corr)) return [];
  const out: Mutant[] = [];
  const push = (operator: MutationOperator, description: string, next: Record<string, unknown>) =>
    out.push({ operator, description, rule: withBody(rule, { ...rule.body, correlation: next }) });
  const span = typeof corr.timespan === 'string' ? /^(\d+)([smhdwMy])$/.exec(corr.timespan) : null;
  if (span) {
    const n = Number(span[1]);
    for (const m of [Math.max(1, Math.floor(n / 2)), n * 2]) if (m !== n) push('shift-number', `timespan ${corr.timespan} → ${m}${span[2]}`, { ...corr, timespan: `${m}${span[2]}` });
  }
  if (isRecord(corr.condition)) {
    for (const [op, v] of Object.entries(corr.condition)) {
      if (typeof v !== 'number') continue;
      for (const d of [-1, 1]) push('shift-number', `condition ${op}: ${v} → ${v + d}`, { ...corr, condition: { ...corr.condition, [op]: v + d } });
    }
  }
  const groupBy = Array.isArray(corr['group-by']) ? corr['group-by'] : [];
  groupBy.forEach((g, i) => push('drop-join-key', `group-by: drop ${String(g)}`, { ...corr, 'group-by': groupBy.filter((_, j) => j !== i) }));
  return out;
}
