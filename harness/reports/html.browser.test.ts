/**
 * index.html in a real browser: Playwright driving Debian's Chromium loads the
 * written page from file://, and checks that it renders the matrix, makes no
 * network request, shows the numbers coverage.json has, drills down from a
 * technique to its rules and cases, and that the filters change the view.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isCurrent, loadAttackCatalog } from '../attack/catalog.ts';
import { buildCoverageModel } from './build-model.ts';
import type { CoverageModel } from './model.ts';
import { runAll } from './run.ts';
import { fixtureInput } from './test-fixture.ts';
import { renderReports, writeReports } from './write-reports.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`html.browser.test.ts: skipped — no Chromium at ${CHROMIUM} (install it with: apt-get install -y chromium)`);

const catalog = loadAttackCatalog();

describe.skipIf(!hasChromium)(`index.html in headless Chromium (needs ${CHROMIUM})`, () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  let coverage: CoverageModel;
  const external: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rh-html-'));
    const model = buildCoverageModel(runAll(fixtureInput()), catalog, '2026-01-01T00:00:00.000Z');
    writeReports(dir, renderReports(model, catalog));
    // The page's numbers are compared with the file on disk, not with the in-memory model.
    coverage = JSON.parse(readFileSync(join(dir, 'coverage.json'), 'utf8')) as CoverageModel;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) external.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const select = async (id: string, value: string) => {
    await page.selectOption(`#${id}`, value);
  };
  const cell = (technique: string) => page.locator(`#matrix button[data-technique="${technique}"]`).first();

  test('renders the whole matrix without script errors', async () => {
    expect(errors).toEqual([]);
    const tactics = await page.locator('#matrix section.tactic').evaluateAll((els) => els.map((e) => e.getAttribute('data-tactic')));
    expect(tactics).toEqual(catalog.tactics.map((t) => t.shortname));
    const cells = await page.locator('#matrix button.cell').count();
    const expected = catalog.tactics.reduce((n, tactic) => n + catalog.techniques.filter((t) => isCurrent(t) && !t.subtechnique && t.tactics.includes(tactic.shortname)).length, 0);
    expect(cells).toBe(expected);
  });

  test('the totals equal coverage.json', async () => {
    const t = coverage.totals;
    const shown: Record<string, number> = {};
    for (const key of ['rules', 'rules-tested', 'rules-failing', 'rules-not-evaluable', 'cases', 'passing', 'failing', 'known-gap', 'techniques-with-rules', 'techniques-tested']) {
      shown[key] = Number(await page.textContent(`#total-${key}`));
    }
    expect(shown).toEqual({
      rules: t.rules,
      'rules-tested': t.rulesTested,
      'rules-failing': t.rulesFailing,
      'rules-not-evaluable': t.rulesNotEvaluable,
      cases: t.cases,
      passing: t.passing,
      failing: t.failing,
      'known-gap': t.knownGap,
      'techniques-with-rules': t.techniquesWithRules,
      'techniques-tested': t.techniquesTested,
    });
  });

  test("each tactic's header and each technique cell equal coverage.json", async () => {
    for (const tactic of coverage.tactics) {
      const section = page.locator(`#matrix section[data-tactic="${tactic.shortname}"]`);
      expect([await section.getAttribute('data-tested'), await section.getAttribute('data-techniques')], tactic.shortname).toEqual([String(tactic.techniquesTested), String(tactic.techniques)]);
      expect(await section.locator('h3 small').textContent()).toBe(`${tactic.techniquesTested}/${tactic.techniques} tested`);
    }
    const parents = coverage.techniques.filter((t) => !t.subtechnique);
    expect(parents.map((t) => t.id)).toEqual(['T1003', 'T1059', 'T1114']);
    for (const t of parents) {
      const c = cell(t.id);
      expect([await c.getAttribute('data-rules'), await c.getAttribute('data-tested'), await c.getAttribute('data-status')], t.id).toEqual([String(t.rollup.rules), String(t.rollup.rulesTested), t.rollup.status]);
      expect(await c.locator('.count').textContent()).toBe(`${t.rollup.rulesTested}/${t.rollup.rules}`);
    }
  });

  test('drill-down: technique → its rules → their cases, as in coverage.json', async () => {
    await cell('T1059').click();
    const detail = page.locator('#detail');
    expect(await detail.isVisible()).toBe(true);
    const shownRules = await detail.locator('details.rule').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')).sort());
    const t1059 = coverage.techniques.filter((t) => t.id === 'T1059' || t.parent === 'T1059').flatMap((t) => t.rules);
    expect(shownRules).toEqual([...t1059].sort());
    const ps = coverage.rules.find((r) => r.id === 'ps')!;
    const rule = detail.locator('details.rule[data-rule="ps"]');
    await rule.locator('summary').click();
    const outcomes = await rule.locator('table.cases tr:not(:first-child)').evaluateAll((rows) => rows.map((r) => [r.children[0]!.textContent, r.className]));
    expect(outcomes).toEqual(ps.cases.map((c) => [c.name, c.outcome]));
    expect(await rule.locator('h5').first().textContent()).toBe(`branches ${ps.branches!.covered}/${ps.branches!.total}`);
    const esql = detail.locator('details.rule[data-rule="esql"] .reason');
    expect(await esql.textContent()).toBe(`not evaluable: ${coverage.notEvaluable[0]!.reason}`);
  });

  test('filters by rule format, coverage status and platform change the view', async () => {
    const rulesOn = (pred: (r: CoverageModel['rules'][number]) => boolean) => coverage.rules.filter((r) => pred(r) && r.techniques.some((id) => id.startsWith('T1059'))).length;
    const count = async () => Number(await cell('T1059').getAttribute('data-rules'));
    expect(await count()).toBe(4);

    await select('filter-format', 'elastic');
    expect(await count()).toBe(rulesOn((r) => r.format === 'elastic'));
    expect(await count()).toBe(2);
    expect(await page.locator('#detail details.rule').count()).toBe(2); // the open drill-down follows the filter
    await select('filter-format', '');

    await select('filter-status', 'tested');
    expect(await count()).toBe(rulesOn((r) => r.coverage === 'tested'));
    expect(await page.locator('#rules tr[data-rule]').count()).toBe(coverage.rules.filter((r) => r.coverage === 'tested').length);
    await select('filter-status', 'failing');
    expect(await cell('T1114').getAttribute('data-status')).toBe('failing');
    expect(await cell('T1059').getAttribute('data-status')).toBe('failing');
    await select('filter-status', '');

    const allCells = await page.locator('#matrix button.cell').count();
    await select('filter-platform', 'Linux');
    const linux = catalog.tactics.reduce((n, tactic) => n + catalog.techniques.filter((t) => isCurrent(t) && !t.subtechnique && t.tactics.includes(tactic.shortname) && t.platforms.includes('Linux')).length, 0);
    expect(await page.locator('#matrix button.cell').count()).toBe(linux);
    expect(linux).toBeLessThan(allCells);
    expect(await count()).toBe(0); // every fixture rule is a Windows rule
    expect(await page.getAttribute('#shown', 'data-rules')).toBe('0');
    await select('filter-platform', '');
    expect(await count()).toBe(4);
  });

  test('lists every rule and the ATT&CK findings', async () => {
    expect(await page.locator('#rules tr[data-rule]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule')))).toEqual(coverage.rules.map((r) => r.id));
    expect(await page.locator('#findings li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-code')))).toEqual(coverage.findings.map((f) => f.code));
  });

  test('made no network request, and the file references nothing outside itself', () => {
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html.match(/<script[^>]*\ssrc=|<link\b|<img\b|@import|url\(/gi)).toBeNull();
  });
});
