import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, test } from 'vitest';
import { isCurrent, loadAttackCatalog } from '../attack/catalog.ts';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { and } from '../engines/common/predicate.ts';
import { diffCoverage, renderBaselineDiff } from './baseline.ts';
import { buildCoverageModel } from './build-model.ts';
import type { CoverageModel } from './model.ts';
import { runAll, type RunInput } from './run.ts';
import { ends, fakeDetector, fixtureInput } from './test-fixture.ts';
import { renderJunit } from './write-junit.ts';
import { renderMarkdown } from './write-markdown.ts';
import { buildNavigatorLayer } from './write-navigator.ts';
import { REPORT_FILES, renderReports, writeReports } from './write-reports.ts';

const catalog = loadAttackCatalog();
const build = (input: RunInput, at = '2026-01-01T00:00:00.000Z'): CoverageModel => buildCoverageModel(runAll(input), catalog, at);
const model = build(fixtureInput());

const tmp = mkdtempSync(join(tmpdir(), 'rh-reports-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ajv = new Ajv({ allErrors: true, strict: false });
const schemaOf = (name: string): object => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as object;

describe('navigator-layer.json', () => {
  const validate = ajv.compile(schemaOf('./navigator-layer.schema.json'));
  const layer = JSON.parse(JSON.stringify(buildNavigatorLayer(model, { ruleUrl: (f) => `https://example.org/blob/main/${f}` }))) as Record<string, unknown>;

  test('the schema accepts the layer format 4.5 example (layers/spec/v4.5/layerformat.md) and rejects a typo', () => {
    const example: unknown = JSON.parse(readFileSync(new URL('./testdata/navigator-spec-example.json', import.meta.url), 'utf8'));
    expect(validate(example) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...(example as object), versions: { navigator: '4.8.0', layer: '4.5' } })).toBe(false);
    expect(validate({ name: 'x', domain: 'enterprise-attack', techniques: [{ techniqueID: 'T1059', showSubtechnique: true }] })).toBe(false);
  });

  test('validates against the layer format, with a usable gradient', () => {
    expect(validate(layer) ? [] : validate.errors).toEqual([]);
    const g = layer.gradient as { minValue: number; maxValue: number };
    expect(g.maxValue).toBeGreaterThan(g.minValue);
    expect([layer.domain, (layer.versions as Record<string, string>).layer, (layer.versions as Record<string, string>).attack]).toEqual(['enterprise-attack', '4.5', '18']);
  });

  test('every technique is a current ATT&CK technique, scored and coloured from tested coverage, linking its rules', () => {
    const techs = layer.techniques as { techniqueID: string; score?: number; color: string; links?: { url: string }[]; comment: string }[];
    for (const t of techs) expect(isCurrent(catalog.techniquesById.get(t.techniqueID)!)).toBe(true);
    const byId = new Map(techs.map((t) => [t.techniqueID, t]));
    expect(byId.get('T1059.001')).toMatchObject({ score: 33, color: '#31a354' });
    expect(byId.get('T1114.002')).toMatchObject({ score: 0, color: '#e34a33' });
    expect(byId.get('T1059')?.score).toBeUndefined(); // unscored parent: the Navigator aggregates its sub-techniques
    expect(byId.get('T1059.001')?.links?.map((l) => l.url)).toContain('https://example.org/blob/main/rules/sigma/ps.yml');
    expect(byId.get('T1059.001')?.comment).toContain('tested: PowerShell start');
  });
});

/** A small XML 1.0 well-formedness check (no XML parser among the dependencies): returns the element tree or throws. */
interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
}
function parseXml(xml: string): XmlElement {
  const entity = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  let i = xml.startsWith('<?xml') ? xml.indexOf('?>') + 2 : 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? undefined : lt);
    if (entity.test(text)) throw new Error(`bare & in text at ${i}`);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root at ${i}`);
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error(`unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    const close = /^\/([A-Za-z_][\w.-]*)\s*$/.exec(tag);
    if (close) {
      if (stack.pop()?.name !== close[1]) throw new Error(`mismatched </${close[1]}> at ${lt}`);
      continue;
    }
    const open = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)$/.exec(tag);
    if (!open) throw new Error(`malformed tag <${tag}> at ${lt}`);
    const attrs: Record<string, string> = {};
    for (const [, k, v] of open[2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (k! in attrs) throw new Error(`duplicate attribute ${k} at ${lt}`);
      if (entity.test(v!)) throw new Error(`bare & in attribute ${k} at ${lt}`);
      attrs[k!] = v!;
    }
    const el: XmlElement = { name: open[1]!, attrs, children: [] };
    if (stack.length > 0) stack.at(-1)!.children.push(el);
    else if (root) throw new Error('second root element');
    else root = el;
    if (open[3] !== '/') stack.push(el);
  }
  if (stack.length > 0 || !root) throw new Error(`unclosed <${stack.at(-1)?.name ?? 'root'}>`);
  return root;
}

describe('junit.xml', () => {
  const root = parseXml(renderJunit(model));
  const testcases = root.children.flatMap((s) => s.children.map((c) => ({ suite: s, c })));

  test('is well-formed, one suite per rule, counts that add up', () => {
    expect(root.name).toBe('testsuites');
    expect(root.children.map((s) => s.name)).toEqual(model.rules.map(() => 'testsuite'));
    expect(Number(root.attrs.tests)).toBe(testcases.length);
    for (const s of root.children) expect(Number(s.attrs.tests)).toBe(s.children.length);
    expect(Number(root.attrs.failures)).toBe(testcases.filter(({ c }) => c.children.some((x) => x.name === 'failure')).length);
  });

  test('one testcase per scenario case, with file and line, failing exactly where the case fails', () => {
    for (const r of model.rules) {
      const suite = root.children.find((s) => s.attrs.name?.endsWith(`[${r.id}]`))!;
      for (const c of r.cases) {
        const matching = suite.children.filter((t) => t.attrs.name === c.name && t.attrs.file === c.scenario);
        expect(matching, `${r.id}: ${c.name}`).toHaveLength(1);
        expect(Number(matching[0]!.attrs.line)).toBe(c.line);
        const kinds = matching[0]!.children.map((x) => x.name);
        expect(kinds).toEqual(c.outcome === 'pass' ? [] : c.outcome === 'known-gap' ? ['skipped'] : c.outcome === 'error' ? ['error'] : ['failure']);
      }
    }
  });

  test('rules without scenarios or engine show up, and control characters and markup in names are escaped', () => {
    const names = testcases.map(({ c }) => c.attrs.name);
    expect(names.filter((n) => n === 'has a scenario' || n === 'rule is evaluable')).toHaveLength(2);
    const nasty = { ...model, rules: [{ ...model.rules[0]!, title: 'a <b> & "c" \u0001' }] };
    expect(parseXml(renderJunit(nasty)).children[0]!.attrs.name).toContain('a &lt;b&gt; &amp; &quot;c&quot; ');
  });
});

describe('coverage.md', () => {
  const md = renderMarkdown(model);
  const section = (title: string): string => md.slice(md.indexOf(`## ${title}`), md.indexOf('\n## ', md.indexOf(`## ${title}`) + 3));

  test('puts the worst gaps first: failing, then untested, then not evaluable', () => {
    const rows = section('Worst gaps').split('\n').filter((l) => /^\| T\d/.test(l));
    expect(rows.map((r) => r.split(' | ')[0]!.slice(2))).toEqual(['T1114.002 Remote Email Collection', 'T1003.001 LSASS Memory']);
    expect(rows[0]).toContain('❌ failing');
    expect(md.indexOf('## Worst gaps')).toBeLessThan(md.indexOf('## Techniques by tactic'));
  });

  test('lists techniques under each tactic worst first, sub-techniques under their parent', () => {
    const execution = md.slice(md.indexOf('### Execution'), md.indexOf('\n### ', md.indexOf('### Execution') + 4));
    const ids = [...execution.matchAll(/\[(T[\d.]+)\]/g)].map((m) => m[1]);
    expect(ids).toEqual(['T1059', 'T1059.001', 'T1059.003']);
    const collection = md.slice(md.indexOf('### Collection'));
    expect([...collection.matchAll(/^\| (↳ )?\[(T[\d.]+)\]/gm)].map((m) => m[2]).slice(0, 2)).toEqual(['T1114', 'T1114.002']);
  });

  test('states totals, per-tactic numbers, failing cases, not-evaluable reasons and ATT&CK findings', () => {
    expect(section('Tactics')).toMatch(/\| Execution \(TA0002\) \| 1 \/ 1 \/ \d+ \| 2 \/ 3 \/ 4 \| 5 \/ 1 \/ 1 \| 1 \| 75% \|/);
    expect(section('Failing cases')).toContain("case 'wrong expectation'");
    expect(section('Not evaluable')).toContain('ES|QL thing (`rules/sigma/esql.yml`): COMPLETION calls an inference endpoint');
    expect(md).toContain('technique T1086 is retired; counted as T1059.001');
    expect(md).toContain('technique T4242 does not exist in ATT&CK Enterprise');
  });
});

describe('baseline diff', () => {
  // The "after" run: rule `gap` narrowed so its positive case no longer alerts, rule `lonely` removed.
  const input = fixtureInput();
  const gapRule = input.rules.find((r) => r.id === 'gap')!;
  const narrowed: RunInput = {
    ...input,
    rules: input.rules.filter((r) => r.id !== 'lonely'),
    detectors: new Map([...input.detectors].filter(([id]) => id !== 'lonely')).set('gap', fakeDetector(gapRule, and([ends('Image', '\\cmd.exe'), ends('User', 'admin')]))),
  };
  const after = build(narrowed, '2026-02-01T00:00:00.000Z');
  const d = diffCoverage(model, after);

  test('names techniques gained or lost, tested or not', () => {
    expect(d.techniques).toEqual({ gained: [], lost: ['T1003.001'] });
    expect(d.testedTechniques).toEqual({ gained: [], lost: ['T1059.003'] });
    expect(d.rules).toEqual({ added: [], removed: ['lonely'] });
  });

  test('lists the rules whose alerts changed, the cases, and the new failures', () => {
    expect(d.rulesWithChangedAlerts).toEqual([{ rule: 'gap', title: 'Cmd with gap', cases: 1, before: 'tested', after: 'failing' }]);
    expect(d.alertsChanged).toEqual([{ rule: 'gap', title: 'Cmd with gap', scenario: 'scenarios/sigma/gap.yml', case: 'cmd', before: [[0]], after: [] }]);
    expect(d.newFailures.map((c) => [c.rule, c.case, c.outcome])).toEqual([['gap', 'cmd', 'fail']]);
    expect(d.fixed).toEqual([]);
    expect(d.totals.rulesTested).toEqual({ before: 2, after: 1 });
    expect(d.jsonDiff).not.toBeNull();
  });

  test('renders a readable summary, and nothing changes against itself', () => {
    const text = renderBaselineDiff(d, model, after);
    expect(text).toContain('tested techniques gained: —; lost: T1059.003');
    expect(text).toContain("Cmd with gap: 'cmd' [[0]] → []");
    const same = diffCoverage(model, model);
    expect([same.alertsChanged, same.newFailures, same.techniques.lost, same.jsonDiff]).toEqual([[], [], [], null]);
  });
});

describe('writing reports', () => {
  test('writes every report file, the baseline diff when asked, and no temp files', () => {
    const dir = join(tmp, 'all');
    const written = writeReports(dir, renderReports(model, catalog, { baseline: model }));
    expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES, 'baseline-diff.json'].sort());
    expect(written.at(-1)).toBe(join(dir, 'coverage.json'));
    expect(JSON.parse(readFileSync(join(dir, 'coverage.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(model)));
  });

  test('an interrupted run leaves the previous coverage.json intact', () => {
    const dir = join(tmp, 'interrupted');
    writeFileAtomic(join(dir, 'coverage.json'), 'previous');
    let n = 0;
    const crashing = (path: string, content: string) => {
      if (++n === 3) throw new Error('killed');
      writeFileAtomic(path, content);
    };
    expect(() => writeReports(dir, renderReports(model, catalog), crashing)).toThrow('killed');
    expect(readFileSync(join(dir, 'coverage.json'), 'utf8')).toBe('previous');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  test('a failed rename keeps what was there and removes the temp file', () => {
    const dir = join(tmp, 'atomic');
    writeFileAtomic(join(dir, 'coverage.md'), 'old');
    mkdirSync(join(dir, 'index.html')); // renaming a file over a directory fails
    expect(() => writeFileAtomic(join(dir, 'index.html'), 'new')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['coverage.md', 'index.html']);
    expect(readFileSync(join(dir, 'coverage.md'), 'utf8')).toBe('old');
  });
});
