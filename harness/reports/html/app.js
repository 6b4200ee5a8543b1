/* global document */
// The coverage page's behaviour, inlined into index.html by write-html.ts:
// an ATT&CK matrix heat-mapped by *tested* coverage, filters by platform /
// rule format / coverage status / rule maturity, and a drill-down technique
// → rules → cases, branches and indicators.
// Plain DOM and textContent only (rule titles are data, never markup).
'use strict';

const data = JSON.parse(document.getElementById('coverage-data').textContent);
const model = data.model;
const matrix = data.matrix;
const RANK = ['tested', 'failing', 'untested', 'not-evaluable'];
const filters = { platform: '', format: '', status: '', maturity: '' };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v;
    else if (k === 'onclick') node.addEventListener('click', v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children) node.append(c instanceof Object ? c : document.createTextNode(String(c)));
  return node;
}

const parentOf = (id) => (id.includes('.') ? id.slice(0, id.indexOf('.')) : id);
// A platform filter keeps rules whose platform is unknown: nothing says they do not apply.
const rulePlatformOk = (r) => !filters.platform || r.platforms.length === 0 || r.platforms.includes(filters.platform);
const ruleVisible = (r) =>
  (!filters.format || r.format === filters.format) && (!filters.status || r.coverage === filters.status) &&
  (!filters.maturity || (r.status || 'none') === filters.maturity) && rulePlatformOk(r);
const techniqueVisible = (t) => !filters.platform || t.platforms.includes(filters.platform);

/** The rules on a technique or any of its sub-techniques, as the filters allow. */
function rulesOf(id) {
  return model.rules.filter((r) => ruleVisible(r) && r.techniques.some((x) => x === id || parentOf(x) === id));
}

function statusOf(rules) {
  for (const s of RANK) if (rules.some((r) => r.coverage === s)) return s;
  return 'none';
}

function cellStyle(rules) {
  const tested = rules.filter((r) => r.coverage === 'tested').length;
  const status = statusOf(rules);
  // Heat: the share of tested rules sets the green's strength.
  if (status === 'tested') return `background: hsl(130, 45%, ${Math.round(82 - (40 * tested) / rules.length)}%)`;
  return '';
}

function renderTotals() {
  const t = model.totals;
  const box = document.getElementById('totals');
  box.replaceChildren();
  const items = [
    ['rules', t.rules], ['rules-tested', t.rulesTested], ['rules-failing', t.rulesFailing], ['rules-not-evaluable', t.rulesNotEvaluable],
    ['cases', t.cases], ['passing', t.passing], ['failing', t.failing], ['known-gap', t.knownGap],
    ['techniques-with-rules', t.techniquesWithRules], ['techniques-tested', t.techniquesTested],
  ];
  for (const [key, value] of items) box.append(el('div', { class: 'total' }, el('span', { class: 'n', id: `total-${key}` }, value), el('span', { class: 'k' }, key.replace(/-/g, ' '))));
}

function renderMatrix() {
  const root = document.getElementById('matrix');
  root.replaceChildren();
  const onlyCovered = document.getElementById('only-covered').checked;
  const shown = { techniques: new Set(), withRules: new Set(), tested: new Set() };
  for (const tactic of matrix.tactics) {
    const techs = matrix.techniques.filter((t) => t.tactics.includes(tactic.shortname) && techniqueVisible(t));
    const cells = [];
    let tested = 0;
    for (const t of techs) {
      const rules = rulesOf(t.id);
      const nTested = rules.filter((r) => r.coverage === 'tested').length;
      if (nTested > 0) tested += 1;
      shown.techniques.add(t.id);
      if (rules.length > 0) shown.withRules.add(t.id);
      if (nTested > 0) shown.tested.add(t.id);
      if (onlyCovered && rules.length === 0) continue;
      const status = statusOf(rules);
      cells.push(el('button', { class: `cell ${status}`, style: cellStyle(rules), 'data-technique': t.id, 'data-rules': rules.length, 'data-tested': nTested, 'data-status': status, title: `${t.id} ${t.name}`, onclick: () => showTechnique(t.id) },
        el('span', { class: 'tid' }, t.id), el('span', { class: 'tname' }, t.name), el('span', { class: 'count' }, rules.length ? `${nTested}/${rules.length}` : '')));
    }
    root.append(el('section', { class: 'tactic', 'data-tactic': tactic.shortname, 'data-tested': tested, 'data-techniques': techs.length },
      el('h3', {}, tactic.name, el('small', {}, `${tested}/${techs.length} tested`)), ...cells));
  }
  const rules = model.rules.filter(ruleVisible);
  const summary = document.getElementById('shown');
  summary.dataset.techniques = shown.techniques.size;
  summary.dataset.withRules = shown.withRules.size;
  summary.dataset.tested = shown.tested.size;
  summary.dataset.rules = rules.length;
  summary.textContent = `Shown: ${shown.techniques.size} techniques, ${shown.withRules.size} with rules, ${shown.tested.size} tested; ${rules.length} of ${model.rules.length} rules.`;
  renderRules(rules);
}

/** Every visible rule, so rules without a current technique (see the findings) stay visible too. */
function renderRules(rules) {
  const rows = rules.map((r) => el('tr', { class: r.coverage, 'data-rule': r.id },
    el('td', {}, r.title), el('td', {}, `${r.format}/${r.language}`), el('td', {}, r.coverage), el('td', {}, r.status || ''),
    el('td', {}, `${r.stats.passing}/${r.stats.cases}`), el('td', {}, r.branches ? `${r.branches.covered}/${r.branches.total}` : '—'),
    el('td', {}, r.techniques.join(', ') || '(none)'), el('td', {}, r.notEvaluableReason || '')));
  const head = el('tr', {}, ...['rule', 'format', 'coverage', 'maturity', 'cases passing', 'branches', 'techniques', 'not evaluable because'].map((h) => el('th', {}, h)));
  document.getElementById('rules').replaceChildren(el('h2', {}, `Rules (${rules.length})`), el('table', { class: 'rules' }, head, ...rows));
}

function renderFindings() {
  const box = document.getElementById('findings');
  if (!model.findings.length) return;
  box.append(el('h2', {}, `ATT&CK findings (${model.findings.length})`),
    el('ul', {}, ...model.findings.map((f) => el('li', { class: f.severity, 'data-code': f.code }, `${f.severity}: ${f.file}: ${f.message}`))));
}

function caseTable(rule) {
  const rows = rule.cases.map((c) => el('tr', { class: c.outcome },
    el('td', {}, c.name), el('td', {}, String(c.expect)), el('td', {}, c.outcome + (c.knownGap ? ` (${c.knownGap})` : '')),
    el('td', {}, JSON.stringify(c.alerts)), el('td', {}, `${c.scenario}:${c.line}`)));
  return el('table', { class: 'cases' }, el('tr', {}, ...['case', 'expect', 'outcome', 'alerts', 'where'].map((h) => el('th', {}, h))), ...rows);
}

function ruleDetail(rule) {
  const parts = [el('p', {}, `${rule.format}/${rule.language} · ${rule.kind} · ${rule.file}:${rule.line} · cases ${rule.stats.passing}/${rule.stats.cases} passing`)];
  if (rule.notEvaluableReason) parts.push(el('p', { class: 'reason' }, `not evaluable: ${rule.notEvaluableReason}`));
  if (rule.cases.length) parts.push(caseTable(rule));
  if (rule.branches) {
    parts.push(el('h5', {}, `branches ${rule.branches.covered}/${rule.branches.total}`));
    parts.push(el('ul', {}, ...rule.branches.branches.map((b) => el('li', { class: b.covered ? 'ok' : 'open' }, `${b.covered === true ? '✓' : b.covered === null ? '?' : '✗'} ${b.kind}: ${b.label}`))));
  }
  if (rule.indicators.length) {
    parts.push(el('h5', {}, 'indicators'));
    parts.push(el('table', { class: 'indicators' }, el('tr', {}, ...['field', 'operator', 'values (other rules)', 'corpus'].map((h) => el('th', {}, h))),
      ...rule.indicators.map((i) => el('tr', {}, el('td', {}, i.field || '(any)'), el('td', {}, (i.negated ? 'not ' : '') + i.operator),
        el('td', {}, i.values.map((v) => `${v.value} (${v.corpus})`).join(', ')), el('td', {}, i.corpus)))));
  }
  return el('details', { class: `rule ${rule.coverage}`, 'data-rule': rule.id }, el('summary', {}, `${rule.coverage} — ${rule.title}`), ...parts);
}

let shownTechnique = null;
const refreshDetail = () => { if (shownTechnique) showTechnique(shownTechnique); };

function showTechnique(id) {
  shownTechnique = id;
  const t = matrix.techniques.find((x) => x.id === id);
  const panel = document.getElementById('detail');
  const subs = matrix.subtechniques[id] || [];
  const blocks = [el('h2', {}, `${id} ${t ? t.name : ''}`), el('a', { href: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/` }, 'ATT&CK page')];
  for (const tid of [id, ...subs.map((s) => s.id)]) {
    const rules = model.rules.filter((r) => ruleVisible(r) && r.techniques.includes(tid));
    if (!rules.length) continue;
    const name = tid === id ? '' : ` ${subs.find((s) => s.id === tid).name}`;
    blocks.push(el('h4', {}, `${tid}${name}`), ...rules.map(ruleDetail));
  }
  if (blocks.length === 2) blocks.push(el('p', {}, 'No rule covers this technique.'));
  panel.replaceChildren(...blocks);
  panel.hidden = false;
}

function setupFilters() {
  const platform = document.getElementById('filter-platform');
  for (const p of matrix.platforms) platform.append(el('option', { value: p }, p));
  const maturity = document.getElementById('filter-maturity');
  for (const m of [...new Set(model.rules.map((r) => r.status || 'none'))].sort()) maturity.append(el('option', { value: m }, m));
  for (const [id, key] of [['filter-platform', 'platform'], ['filter-format', 'format'], ['filter-status', 'status'], ['filter-maturity', 'maturity']]) {
    document.getElementById(id).addEventListener('change', (e) => { filters[key] = e.target.value; renderMatrix(); refreshDetail(); });
  }
  document.getElementById('only-covered').addEventListener('change', renderMatrix);
}

renderTotals();
setupFilters();
renderMatrix();
renderFindings();
document.body.dataset.ready = 'true';
