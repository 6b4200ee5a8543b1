/** A RuleReview as one screen of text, or Markdown for a pull-request comment. */
import { diffString } from 'json-diff';
import type { RuleReview } from './review.ts';

type Style = 'text' | 'md';

const pct = (x: number) => `${Math.round(x * 100)}%`;

function table(style: Style, head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return [];
  if (style === 'md') {
    const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
  }
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (r: readonly string[]) => `  ${r.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function renderReview(r: RuleReview, style: Style): string {
  const h = (text: string) => (style === 'md' ? `### ${text}` : `\n== ${text} ==`);
  const code = (text: string) => (style === 'md' ? ['```', text, '```'] : text.split('\n').map((l) => `  ${l}`));
  const out: string[] = [];
  out.push(style === 'md' ? `## Rule review: ${r.rule.title}` : `Rule review: ${r.rule.title}`);
  out.push(`${r.rule.file} · id ${r.rule.id} · ${r.rule.format}/${r.rule.language} · ${r.rule.kind}${r.rule.techniques.length ? ` · ${r.rule.techniques.join(', ')}` : ''}`);
  if (!r.evaluable) out.push(`NOT EVALUABLE: ${r.notEvaluableReason}`);

  out.push(h('Stages and predicates'));
  if (r.condition) out.push(...code(`condition: ${r.condition}`));
  r.stages.forEach((s, i) => {
    out.push(`${style === 'md' ? '- ' : '  '}${i + 1}. ${s.negated ? 'not ' : ''}${s.label}`);
    for (const p of s.predicates) out.push(`${style === 'md' ? '  - ' : '       '}${p}`);
  });

  out.push(h('Indicators'));
  const ind = r.indicators.map((i) => [i.field ?? '(any field)', `${i.negated ? 'not ' : ''}${i.operator}`, i.values.map((v) => v.value).join(', ') || '—', String(i.corpus)]);
  out.push(...(ind.length ? table(style, ['field', 'operator', 'values', 'corpus'], ind) : ['  (none)']));

  out.push(h('Scenario status'));
  const counts = { pass: 0, fail: 0, gap: 0 };
  for (const c of r.cases) {
    if (c.outcome === 'pass') counts.pass++;
    else if (c.outcome === 'known-gap') counts.gap++;
    else counts.fail++;
  }
  out.push(`${r.cases.length} cases: ${counts.pass} pass, ${counts.fail} fail, ${counts.gap} known gap · branches covered ${r.branches.covered}/${r.branches.total}`);
  out.push(...table(style, ['case', 'expect', 'outcome', 'alerts'], r.cases.map((c) => [c.name, String(c.expect), c.outcome, JSON.stringify(c.alerts)])));
  if (r.uncoveredBranches.length > 0) {
    out.push('Not exercised by any case:');
    for (const b of r.uncoveredBranches) out.push(`${style === 'md' ? '- ' : '  - '}${b.kind} ${b.label}`);
  }

  out.push(h('Mutation testing'));
  if (!r.mutation) out.push('  (not run: the rule has no scenario or cannot be evaluated)');
  else {
    out.push(`score ${pct(r.mutation.score)}: ${r.mutation.killed} killed, ${r.mutation.survived} survived`);
    for (const s of r.mutation.survivors.slice(0, 15)) out.push(`${style === 'md' ? '- ' : '  - '}survived: ${s}`);
    if (r.mutation.survivors.length > 15) out.push(`  … ${r.mutation.survivors.length - 15} more`);
  }

  if (r.base) {
    out.push(h(`Change since ${r.base.ref}`));
    if (r.base.note) out.push(r.base.note);
    if (r.base.ruleDiff) out.push(...(style === 'md' ? ['```diff', r.base.ruleDiff.trimEnd(), '```'] : code(r.base.ruleDiff.trimEnd())));
    if (r.base.alertChanges.length === 0 && !r.base.note) out.push('No case changed its alerts.');
    for (const a of r.base.alertChanges) {
      out.push(`case '${a.case}' (${a.scenario}): alerts changed`);
      out.push(...code(diffString({ alerts: a.before }, { alerts: a.after }, { color: false }).trimEnd()));
    }
  }

  for (const p of r.pipelines) {
    out.push(h(`Under pipeline ${p.pipeline}`));
    if (!p.evaluable) out.push(`NOT EVALUABLE under ${p.pipeline}: ${p.mapping}`);
    else out.push(...code(p.mapping));
    if (p.cases.length > 0) {
      const failing = p.cases.filter((c) => c.outcome === 'fail' || c.outcome === 'error' || c.outcome === 'unexpected-pass').length;
      out.push(`${p.cases.length} cases on translated events: ${p.cases.length - failing} as expected, ${failing} not`);
      out.push(...table(style, ['case', 'outcome'], p.cases.map((c) => [c.name, c.detail ? `${c.outcome}: ${c.detail}` : c.outcome])));
    }
  }

  out.push(h('Next step'));
  out.push(...code(r.nextStep));
  return out.join('\n');
}
