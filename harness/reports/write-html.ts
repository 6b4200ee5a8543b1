/**
 * `index.html`: one self-contained file — data, CSS and vanilla JS inlined, no
 * network — showing the ATT&CK matrix heat-mapped by tested coverage with a
 * drill-down technique → rules → cases. The page computes its numbers from the
 * embedded CoverageModel, so filters work offline; the browser test checks
 * they equal coverage.json.
 */
import { readFileSync } from 'node:fs';
import { isCurrent, parentOf, type AttackCatalog } from '../attack/catalog.ts';
import type { CoverageModel } from './model.ts';

const asset = (name: string): string => readFileSync(new URL(`./html/${name}`, import.meta.url), 'utf8');

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON inside `<script>`: `<` escaped so no value can close the element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

interface MatrixTechnique {
  readonly id: string;
  readonly name: string;
  readonly tactics: readonly string[];
  readonly platforms: readonly string[];
}

/** The matrix the page draws: current top-level techniques per tactic, their sub-techniques, and the platforms to filter by. */
export function matrixData(catalog: AttackCatalog) {
  const current = catalog.techniques.filter(isCurrent);
  const brief = (t: MatrixTechnique): MatrixTechnique => ({ id: t.id, name: t.name, tactics: t.tactics, platforms: t.platforms });
  const subtechniques: Record<string, MatrixTechnique[]> = {};
  for (const t of current) {
    const p = parentOf(t.id);
    if (p) (subtechniques[p] ??= []).push(brief(t));
  }
  return {
    tactics: catalog.tactics,
    techniques: current.filter((t) => !t.subtechnique).sort((a, b) => a.name.localeCompare(b.name)).map(brief),
    subtechniques,
    platforms: [...new Set(current.flatMap((t) => t.platforms))].sort(),
  };
}

export function renderHtml(model: CoverageModel, catalog: AttackCatalog): string {
  const title = `ATT&CK coverage proven by tests — ${model.totals.rulesTested} of ${model.totals.rules} rules tested`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${asset('app.css')}</style>
</head>
<body>
<header>
<h1>ATT&amp;CK coverage proven by tests</h1>
<span>ATT&amp;CK Enterprise ${escapeHtml(model.attack.version)} · generated ${escapeHtml(model.generatedAt)}</span>
</header>
<div id="totals"></div>
<div id="filters">
<label>Platform <select id="filter-platform"><option value="">all</option></select></label>
<label>Rule format <select id="filter-format"><option value="">all</option><option value="sigma">Sigma</option><option value="elastic">Elastic</option></select></label>
<label>Coverage <select id="filter-status"><option value="">all</option><option value="tested">tested</option><option value="failing">failing</option><option value="untested">untested</option><option value="not-evaluable">not evaluable</option></select></label>
<label>Rule maturity <select id="filter-maturity"><option value="">all</option></select></label>
<label><input type="checkbox" id="only-covered"> only techniques with rules</label>
<span class="legend"><span style="background:#8fd19e">tested</span><span style="background:#e34a33;color:#fff">failing</span><span style="background:#fdae6b">untested</span><span style="background:#bdbdbd">not evaluable</span></span>
</div>
<p id="shown"></p>
<main id="matrix"></main>
<section id="detail" hidden></section>
<section id="rules"></section>
<section id="findings"></section>
<script type="application/json" id="coverage-data">${scriptJson({ model, matrix: matrixData(catalog) })}</script>
<script>${asset('app.js')}</script>
</body>
</html>
`;
}
