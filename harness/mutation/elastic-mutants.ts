/**
 * Mutants of an Elastic rule. Queries (EQL, KQL, Lucene) are mutated at token
 * level outside string literals — a mutant that no longer parses is dropped,
 * not counted — and the rule's numbers (threshold, maxspan) are shifted.
 */
import type { Rule } from '../core/rule.ts';
import { type Mutant, type MutationOperator, withBody } from './model.ts';
import { isRecord } from '../core/event.ts';


/** Spans of quoted strings (`"…"`, `"""…"""`, `'…'`), which mutations never touch. */
export function stringSpans(q: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < q.length; i++) {
    const c = q[i];
    if (c !== '"' && c !== "'") continue;
    const triple = q.startsWith('"""', i);
    const close = triple ? '"""' : c;
    let j = i + close.length;
    while (j < q.length && !q.startsWith(close, j)) j += !triple && q[j] === '\\' ? 2 : 1;
    spans.push([i, Math.min(q.length, j + close.length)]);
    i = j + close.length - 1;
  }
  return spans;
}

/** Half a span, in the next smaller unit when it does not divide (1m → 30s), so the mutant differs. */
export function halveSpan(n: number, unit: string): string {
  if (n % 2 === 0) return `${n / 2}${unit}`;
  const smaller: Record<string, [number, string]> = { d: [24, 'h'], h: [60, 'm'], m: [60, 's'], s: [1000, 'ms'], '': [1000, 'ms'] };
  const [factor, next] = smaller[unit] ?? [1, unit];
  return factor === 1 ? `${Math.max(1, Math.floor(n / 2))}${unit}` : `${(n * factor) / 2}${next}`;
}

interface TokenRule {
  readonly re: RegExp;
  readonly replace: (m: RegExpExecArray) => string;
  readonly operator: MutationOperator;
}

const EQL_TOKENS: readonly TokenRule[] = [
  { re: /\band\b/g, replace: () => 'or', operator: 'flip-bool' },
  { re: /\bor\b/g, replace: () => 'and', operator: 'flip-bool' },
  { re: /\bnot\s+/g, replace: () => '', operator: 'remove-not' },
  { re: /==/g, replace: () => ':', operator: 'toggle-case' },
  { re: /(?<![=!<>:~])\s:\s/g, replace: () => ' == ', operator: 'toggle-case' },
  { re: /\bin~/g, replace: () => 'in', operator: 'toggle-case' },
  { re: /maxspan\s*=\s*(\d+)(ms|[smhd]?)/g, replace: (m) => `maxspan=${halveSpan(Number(m[1]), m[2] ?? '')}`, operator: 'shift-number' },
  { re: /maxspan\s*=\s*(\d+)(ms|[smhd]?)/g, replace: (m) => `maxspan=${Number(m[1]) * 2}${m[2]}`, operator: 'shift-number' },
  { re: /(>=|<=|>|<)\s*(\d+)/g, replace: (m) => `${m[1]} ${Number(m[2]) + 1}`, operator: 'shift-number' },
  { re: /(>=|<=|>|<)\s*(\d+)/g, replace: (m) => `${m[1]} ${Number(m[2]) - 1}`, operator: 'shift-number' },
];

const KQL_TOKENS: readonly TokenRule[] = [
  { re: /\band\b/gi, replace: (m) => (m[0] === 'AND' ? 'OR' : 'or'), operator: 'flip-bool' },
  { re: /\bor\b/gi, replace: (m) => (m[0] === 'OR' ? 'AND' : 'and'), operator: 'flip-bool' },
  { re: /\bnot\s+/gi, replace: () => '', operator: 'remove-not' },
  { re: /(>=|<=|>|<)\s*(\d+)/g, replace: (m) => `${m[1]} ${Number(m[2]) + 1}`, operator: 'shift-number' },
];

/** One query text per token occurrence, outside string literals. */
export function queryMutants(query: string, language: string): { operator: MutationOperator; description: string; query: string }[] {
  const spans = stringSpans(query);
  const inString = (i: number) => spans.some(([a, b]) => i >= a && i < b);
  const out: { operator: MutationOperator; description: string; query: string }[] = [];
  for (const rule of language === 'eql' ? EQL_TOKENS : KQL_TOKENS) {
    for (const m of query.matchAll(rule.re)) {
      if (m.index === undefined || inString(m.index)) continue;
      const replacement = rule.replace(m as RegExpExecArray);
      const next = query.slice(0, m.index) + replacement + query.slice(m.index + m[0].length);
      if (next === query) continue; // not a mutant at all
      out.push({ operator: rule.operator, description: `query: '${m[0].trim()}' → '${replacement.trim()}' at offset ${m.index}`, query: next });
    }
  }
  // Drop one value of a list: `("a", "b")` loses one quoted element.
  for (const [a, b] of spans) {
    const before = query.slice(0, a).match(/,\s*$/);
    const after = query.slice(b).match(/^\s*,\s*/);
    if (!before && !after) continue;
    const next = after ? query.slice(0, a) + query.slice(b + after[0].length) : query.slice(0, a - before![0].length) + query.slice(b);
    out.push({ operator: 'drop-value', description: `query: drop list value ${query.slice(a, b)}`, query: next });
  }
  out.push(...sequenceMutants(query));
  return out;
}

/** Sequences: swap two adjacent steps; drop a `by` key. */
function sequenceMutants(query: string): { operator: MutationOperator; description: string; query: string }[] {
  if (!/^\s*sequence\b/i.test(query)) return [];
  const steps: [number, number][] = [];
  const spans = stringSpans(query);
  let depth = 0;
  let start = -1;
  for (let i = 0; i < query.length; i++) {
    const span = spans.find(([a]) => a === i);
    if (span) {
      i = span[1] - 1;
      continue;
    }
    if (query[i] === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (query[i] === ']') {
      depth--;
      if (depth === 0 && start >= 0) steps.push([start, i + 1]);
    }
  }
  const out: { operator: MutationOperator; description: string; query: string }[] = [];
  for (let k = 0; k + 1 < steps.length; k++) {
    const [a1, b1] = steps[k]!;
    const [a2, b2] = steps[k + 1]!;
    const next = query.slice(0, a1) + query.slice(a2, b2) + query.slice(b1, a2) + query.slice(a1, b1) + query.slice(b2);
    out.push({ operator: 'sequence-order', description: `sequence: swap steps ${k + 1} and ${k + 2}`, query: next });
  }
  const by = /\s+by\s+([\w.@?]+)(\s*,\s*[\w.@?]+)*/.exec(query.slice(0, steps[0]?.[0] ?? query.length));
  if (by && by.index !== undefined) {
    const next = query.slice(0, by.index) + query.slice(by.index + by[0].length);
    out.push({ operator: 'drop-join-key', description: `sequence: drop '${by[0].trim()}'`, query: next });
  }
  return out;
}

export function elasticMutants(rule: Rule): Mutant[] {
  const out: Mutant[] = [];
  const body = rule.body;
  if (typeof body.query === 'string' && ['eql', 'kuery', 'lucene'].includes(rule.language)) {
    for (const m of queryMutants(body.query, rule.language)) out.push({ operator: m.operator, description: m.description, rule: withBody(rule, { ...body, query: m.query }) });
  }
  const threshold = body.threshold;
  if (isRecord(threshold) && typeof threshold.value === 'number') {
    for (const d of [-1, 1]) {
      const v = threshold.value + d;
      if (v >= 1) out.push({ operator: 'shift-number', description: `threshold.value ${threshold.value} → ${v}`, rule: withBody(rule, { ...body, threshold: { ...threshold, value: v } }) });
    }
    const fields = Array.isArray(threshold.field) ? threshold.field : [];
    fields.forEach((f, i) => out.push({ operator: 'drop-join-key', description: `threshold.field: drop ${String(f)}`, rule: withBody(rule, { ...body, threshold: { ...threshold, field: fields.filter((_, j) => j !== i) } }) }));
  }
  const nt = isRecord(body.new_terms) && Array.isArray(body.new_terms.value) ? body.new_terms.value : [];
  if (isRecord(body.new_terms) && nt.length > 1) {
    const table = body.new_terms;
    nt.forEach((f, i) => out.push({ operator: 'drop-join-key', description: `new_terms.value: drop ${String(f)}`, rule: withBody(rule, { ...body, new_terms: { ...table, value: nt.filter((_, j) => j !== i) } }) }));
  }
  return out;
}
