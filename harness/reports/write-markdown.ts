/**
 * `coverage.md`: a summary fit for a pull-request comment — totals, worst gaps
 * first, then tactic → technique tables, rules, and per-rule branch and
 * indicator details folded away in `<details>`.
 */
import type { CoverageModel, RuleCoverage, TechniqueCoverage, TechniqueCoverageStatus } from './model.ts';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const ICON: Record<TechniqueCoverageStatus, string> = { tested: '✅ tested', failing: '❌ failing', untested: '⚠️ untested', 'not-evaluable': '⛔ not evaluable', none: '— none' };
/** Worst first: a failing rule hides a gap, an untested one is a promise, a not-evaluable one is unknown. */
const RANK: Record<TechniqueCoverageStatus, number> = { failing: 0, untested: 1, 'not-evaluable': 2, none: 3, tested: 4 };

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function totals(m: CoverageModel): string[] {
  const t = m.totals;
  return table(
    ['rules', 'with scenarios', 'tested', 'failing', 'not evaluable', 'cases', 'passing', 'failing cases', 'known gaps', 'techniques tested / with rules'],
    [[t.rules, t.rulesWithScenarios, t.rulesTested, t.rulesFailing, t.rulesNotEvaluable, t.cases, t.passing, t.failing, t.knownGap, `${t.techniquesTested} / ${t.techniquesWithRules}`].map(String)],
  );
}

function gaps(m: CoverageModel): string[] {
  const worst = m.techniques
    .filter((t) => t.rules.length > 0 && t.status !== 'tested')
    .sort((a, b) => RANK[a.status] - RANK[b.status] || b.stats.failing - a.stats.failing || b.rules.length - a.rules.length || a.id.localeCompare(b.id));
  if (worst.length === 0) return ['No gaps: every technique with rules has a tested rule.'];
  const titles = new Map(m.rules.map((r) => [r.id, r]));
  return table(
    ['technique', 'status', 'rules', 'why'],
    worst.map((t) => {
      const rules = t.rules.map((id) => titles.get(id)).filter((r): r is RuleCoverage => r !== undefined);
      const why = rules.map((r) => `${r.title}: ${r.notEvaluableReason ?? (r.scenarios.length === 0 ? 'no scenario' : r.coverage === 'failing' ? `${r.stats.failing} failing case(s)${r.crossFire.surprises.length ? `, ${r.crossFire.surprises.length} cross-fire surprise(s)` : ''}` : 'no passing positive case')}`);
      return [`${t.id} ${t.name}`, ICON[t.status], String(t.rules.length), why.join('; ')];
    }),
  );
}

const mutation = (m: number | null): string => (m === null ? '—' : `${Math.round(100 * m)}%`);

/** A parent's row shows what its matrix cell shows: the technique with its sub-techniques. */
function techniqueRow(t: TechniqueCoverage): string[] {
  if (!t.subtechnique) {
    const r = t.rollup;
    return [`[${t.id}](${t.url}) ${t.name} (with sub-techniques)`, ICON[r.status], `${r.rulesTested} / ${r.rulesWithScenarios} / ${r.rules}`, `${r.stats.passing} ✓ · ${r.stats.failing} ✗ · ${r.stats.knownGap} gap`, mutation(t.mutationScore)];
  }
  const s = t.stats;
  const why = t.notEvaluable.length ? ` · ${t.notEvaluable.length} not evaluable` : '';
  return [`↳ [${t.id}](${t.url}) ${t.name}`, ICON[t.status], `${t.rulesTested} / ${t.rulesWithScenarios} / ${t.rules.length}`, `${s.passing} ✓ · ${s.failing} ✗ · ${s.knownGap} gap${why}`, mutation(t.mutationScore)];
}

/** Per tactic: the numbers every level carries. */
function tacticSummary(m: CoverageModel): string[] {
  return table(
    ['tactic', 'techniques tested / with rules / in ATT&CK', 'rules tested / with scenarios / all', 'cases ✓ / ✗ / gap', 'not evaluable', 'mutation score'],
    m.tactics
      .filter((t) => t.rules > 0)
      .map((t) => [`${t.name} (${t.id})`, `${t.techniquesTested} / ${t.techniquesWithRules} / ${t.techniques}`, `${t.rulesTested} / ${t.rulesWithScenarios} / ${t.rules}`, `${t.stats.passing} / ${t.stats.failing} / ${t.stats.knownGap}`, String(t.notEvaluable.length), mutation(t.mutationScore)]),
  );
}

/** A tactic's techniques, worst first by what the matrix cell shows (the roll-up); sub-techniques under their parent, worst first too. */
export function tacticTechniques(m: CoverageModel, tactic: string): TechniqueCoverage[] {
  const inTactic = m.techniques.filter((t) => t.tactics.includes(tactic) && t.rollup.rules > 0);
  const worst = (a: TechniqueCoverage, b: TechniqueCoverage) => RANK[a.rollup.status] - RANK[b.rollup.status] || a.id.localeCompare(b.id);
  const parents = inTactic.filter((t) => !t.subtechnique).sort(worst);
  const orphans = inTactic.filter((t) => t.subtechnique && !parents.some((p) => p.id === t.parent));
  return [...parents, ...orphans.sort(worst)].flatMap((p) => (p.subtechnique ? [p] : [p, ...inTactic.filter((s) => s.parent === p.id).sort(worst)]));
}

function tactics(m: CoverageModel): string[] {
  const out: string[] = [];
  for (const tactic of m.tactics) {
    const techs = tacticTechniques(m, tactic.shortname);
    if (techs.length === 0) continue;
    out.push('', `### ${tactic.name} (${tactic.id}) — ${tactic.techniquesTested} of ${tactic.techniques} techniques tested`, '');
    out.push(...table(['technique', 'status', 'rules tested / with scenarios / all', 'cases', 'mutation score'], techs.map(techniqueRow)));
  }
  return out;
}

function rules(m: CoverageModel): string[] {
  const sorted = [...m.rules].sort((a, b) => RANK[a.coverage] - RANK[b.coverage] || a.file.localeCompare(b.file));
  return table(
    ['rule', 'format', 'status', 'cases', 'branches covered', 'techniques'],
    sorted.map((r) => [
      `${r.title} (${code(r.file)})`,
      `${r.format}/${r.language}`,
      ICON[r.coverage],
      `${r.stats.passing}/${r.stats.cases}${r.stats.knownGap ? ` (+${r.stats.knownGap} gap)` : ''}`,
      r.branches ? `${r.branches.covered}/${r.branches.total}` : '—',
      r.techniques.join(', '),
    ]),
  );
}

function details(r: RuleCoverage): string[] {
  const open = r.branches?.branches.filter((b) => b.covered !== true) ?? [];
  if (open.length === 0 && r.indicators.length === 0) return [];
  const out = ['', `<details><summary>${cell(r.title)} — branches and indicators</summary>`, ''];
  for (const b of open) out.push(`- ${b.kind === 'filter' ? 'filter no negative case depends on' : `${b.kind} not exercised by a positive case`}${b.covered === null ? ' (trace not matched)' : ''}: ${code(b.label)}`);
  if (r.indicators.length > 0) {
    out.push('', ...table(['field', 'operator', 'values (other rules)', 'corpus'], r.indicators.map((i) => [i.field ?? '(any)', `${i.negated ? 'not ' : ''}${i.operator}`, i.values.map((v) => `${code(v.value)} (${v.corpus})`).join(', '), String(i.corpus)])));
  }
  out.push('', '</details>');
  return out;
}

export function renderMarkdown(m: CoverageModel): string {
  const lines = ['# ATT&CK coverage proven by tests', '', `ATT&CK Enterprise ${m.attack.version} · generated ${m.generatedAt}`, '', ...totals(m), '', '## Worst gaps', '', ...gaps(m)];
  const failures = m.rules.flatMap((r) => r.cases.filter((c) => c.outcome === 'fail' || c.outcome === 'error' || c.outcome === 'unexpected-pass').map((c) => `- ${r.title}: case '${c.name}' (${code(`${c.scenario}:${c.line}`)}) — ${c.message ?? c.outcome}`));
  if (failures.length > 0) lines.push('', '## Failing cases', '', ...failures);
  lines.push('', '## Tactics', '', ...tacticSummary(m), '', '## Techniques by tactic', ...tactics(m), '', '## Rules', '', ...rules(m));
  lines.push(...m.rules.flatMap(details));
  if (m.notEvaluable.length > 0) lines.push('', '## Not evaluable', '', ...m.notEvaluable.map((n) => `- ${n.title} (${code(n.file)}): ${n.reason}`));
  if (m.findings.length > 0) lines.push('', '## ATT&CK findings', '', ...m.findings.map((f) => `- ${f.severity}: ${code(f.file)}: ${f.message} [${f.code}]`));
  return `${lines.join('\n')}\n`;
}
