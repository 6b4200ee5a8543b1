/**
 * `navigator-layer.json`: an ATT&CK Navigator layer, format 4.5
 * (mitre-attack/attack-navigator `layers/spec/v4.5/layerformat.md`), domain
 * enterprise-attack. Scores are the share of a technique's rules that are
 * tested; colours follow the coverage status, so a failing rule shows red even
 * where another rule is tested; comments and metadata name the rules.
 */
import type { CoverageModel, TechniqueCoverage, TechniqueCoverageStatus } from './model.ts';

export const STATUS_COLOURS: Record<TechniqueCoverageStatus, string> = {
  tested: '#31a354',
  failing: '#e34a33',
  untested: '#fdae6b',
  'not-evaluable': '#bdbdbd',
  none: '#ffffff',
};

export interface NavigatorOptions {
  /** Turns a rule file path into a link (e.g. a repository browse URL); no links without it. */
  readonly ruleUrl?: (file: string) => string;
}

interface LayerTechnique {
  techniqueID: string;
  score?: number;
  color?: string;
  comment: string;
  enabled: boolean;
  showSubtechniques?: boolean;
  metadata: { name: string; value: string }[];
  links?: { label: string; url: string }[];
}

function layerTechnique(t: TechniqueCoverage, m: CoverageModel, opts: NavigatorOptions): LayerTechnique {
  const rules = m.rules.filter((r) => r.techniques.includes(t.id));
  const direct = t.rules.length > 0;
  const status = direct ? t.status : t.rollup.status;
  const summary = direct
    ? `${t.rulesTested} of ${t.rules.length} rule(s) tested; cases ${t.stats.passing} passing, ${t.stats.failing} failing, ${t.stats.knownGap} known gap(s)`
    : `no rule names ${t.id} itself; ${t.rollup.rulesTested} of ${t.rollup.rules} rule(s) on its sub-techniques tested`;
  const links = opts.ruleUrl ? rules.map((r) => ({ label: r.title, url: opts.ruleUrl!(r.file) })) : [];
  return {
    techniqueID: t.id,
    // Unscored parents let the Navigator aggregate their sub-techniques' scores.
    ...(direct ? { score: t.score } : {}),
    color: STATUS_COLOURS[status],
    comment: [summary, ...rules.map((r) => `${r.coverage}: ${r.title} (${r.file})`)].join('\n'),
    enabled: true,
    ...(!t.subtechnique && m.techniques.some((s) => s.parent === t.id) ? { showSubtechniques: true } : {}),
    metadata: rules.map((r) => ({ name: r.title, value: `${r.coverage} · ${r.stats.passing}/${r.stats.cases} cases passing · ${r.file}` })),
    ...(links.length > 0 ? { links } : {}),
  };
}

export function buildNavigatorLayer(m: CoverageModel, opts: NavigatorOptions = {}): Record<string, unknown> {
  return {
    name: 'rule-harness: tested coverage',
    versions: { attack: m.attack.version.split('.')[0], navigator: '5.2.0', layer: '4.5' },
    domain: 'enterprise-attack',
    description: `Techniques covered by rules proven by passing scenario tests (generated ${m.generatedAt}). Score: percent of the technique's rules that are tested.`,
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true, showAggregateScores: true, countUnscored: false, aggregateFunction: 'max', expandedSubtechniques: 'annotated' },
    hideDisabled: false,
    techniques: m.techniques.map((t) => layerTechnique(t, m, opts)),
    gradient: { colors: ['#fdae6b', '#31a354'], minValue: 0, maxValue: 100 },
    legendItems: (['tested', 'failing', 'untested', 'not-evaluable'] as const).map((s) => ({ label: s, color: STATUS_COLOURS[s] })),
    showTacticRowBackground: false,
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
    metadata: [
      { name: 'rules tested', value: `${m.totals.rulesTested} of ${m.totals.rules}` },
      { name: 'cases', value: `${m.totals.passing} passing, ${m.totals.failing} failing, ${m.totals.knownGap} known gaps` },
    ],
  };
}

export function renderNavigatorLayer(m: CoverageModel, opts: NavigatorOptions = {}): string {
  return `${JSON.stringify(buildNavigatorLayer(m, opts), null, 2)}\n`;
}
