import { describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { loadRuleText } from '../rules/load.ts';
import { compileRuleSet } from './registry.ts';

/** Compile one rule file's text as the project loader does. */
function compileText(file: string, text: string): ReturnType<typeof compileRuleSet> {
  const loaded = loadRuleText(file, text);
  const set = { rules: loaded.rules, filters: loaded.filters, diagnostics: loaded.diagnostics, texts: new Map([[file, text]]) };
  return compileRuleSet(set, { sigma: { placeholders: {} } });
}

/** The diagnostics of one rule file's text. */
function diagnosticsOf(file: string, text: string): string[] {
  return compileText(file, text).diagnostics.map(formatDiagnostic);
}

const header = (id: string) => `title: t\nid: ${id}\nstatus: test\nlogsource: { product: windows, category: process_creation }\n`;

describe('compile warnings: legal, compiled, but likely not what the author meant', () => {
  test('a selector that selects nothing is located at the selector in the condition', () => {
    const text = `${header('11111111-1111-4111-8111-111111111111')}detection:\n  selection:\n    Image|endswith: '\\cmd.exe'\n  condition: selection and not 1 of filter_*\n`;
    expect(diagnosticsOf('rules/a.yml', text)).toEqual([
      "rules/a.yml:8:32: warning: '1 of filter_*' selects no search identifier, so it is always false (rule 11111111-1111-4111-8111-111111111111) [sigma/empty-selector]",
    ]);
  });

  test('`all of` over nothing is always true, and a selector that selects something is silent', () => {
    const text = `${header('22222222-2222-4222-8222-222222222222')}detection:\n  sel_a:\n    Image|endswith: '\\a.exe'\n  condition: 1 of sel_* or all of x_*\n`;
    const out = diagnosticsOf('rules/b.yml', text);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain("'all of x_*' selects no search identifier, so it is always true");
  });

  test("a filter document's warnings are reported too, located in the filter", () => {
    const text = `title: f\nid: 66666666-6666-4666-8666-666666666666\nlogsource: { product: windows }\nfilter:\n  rules: any\n  sel:\n    User: admin\n  condition: not sel and not 1 of skip_*\n`;
    expect(diagnosticsOf('filters/f.yml', text)).toEqual(["filters/f.yml:8:30: warning: '1 of skip_*' selects no search identifier, so it is always false [sigma/empty-selector]"]);
  });

  test('a correlation condition with several operators is flagged at the condition key', () => {
    const base = `${header('33333333-3333-4333-8333-333333333333')}name: base\ndetection:\n  selection:\n    EventID: 4625\n  condition: selection\n`;
    const corr = `title: c\nid: 44444444-4444-4444-8444-444444444444\ncorrelation:\n  type: event_count\n  rules: [base]\n  group-by: [User]\n  timespan: 5m\n  condition:\n    gte: 100\n    lte: 200\n`;
    const out = diagnosticsOf('rules/c.yml', `${base}---\n${corr}`);
    expect(out).toEqual([
      'rules/c.yml:18:3: warning: the correlation condition has 2 comparisons (gte, lte); they must all hold (pySigma accepts only one) (rule 44444444-4444-4444-8444-444444444444) [sigma/correlation-operators]',
    ]);
  });

  test('an Elastic query lint finding is located at the offending term in the query', () => {
    const fence = "'''";
    const toml = [
      '[metadata]',
      'creation_date = "2024/01/01"',
      '',
      '[rule]',
      'author = ["x"]',
      'description = "d"',
      'language = "kuery"',
      'name = "n"',
      'risk_score = 21',
      'rule_id = "55555555-5555-4555-8555-555555555555"',
      'severity = "low"',
      'type = "query"',
      `query = ${fence}`,
      'event.category: network and',
      '  source.ip: 10.* and destination.port: rdp',
      fence,
      '',
    ].join('\n');
    expect(diagnosticsOf('rules/e.toml', toml)).toEqual([
      "rules/e.toml:15:3: warning: 'source.ip: 10.*': a wildcard on the ip field 'source.ip' is an Elasticsearch error (the search fails): it matches nothing (rule 55555555-5555-4555-8555-555555555555) [kql/wildcard-on-ip]",
      "rules/e.toml:15:23: warning: 'destination.port: rdp': 'destination.port' is numeric and the value is not a number: an Elasticsearch error (rule 55555555-5555-4555-8555-555555555555) [kql/non-numeric-value]",
    ]);
    // A warned rule still evaluates — typed by ECS it matches nothing, as Elasticsearch's search fails (docs/typing.md T7, T8);
    // the same term twice is located twice, each where it stands.
    const d = compileText('rules/e.toml', toml).detectors.get('55555555-5555-4555-8555-555555555555')!;
    const hit = { event: { category: 'network' }, source: { ip: '10.1.2.3' }, destination: { port: 'rdp' } };
    expect(d.detect([hit, { ...hit, source: { ip: '11.1.2.3' } }]).map((a) => a.events)).toEqual([]);
    const twice = toml.replace('event.category: network and', 'source.ip: 10.* or');
    expect(diagnosticsOf('rules/e.toml', twice).map((l) => l.split(': warning')[0])).toEqual(['rules/e.toml:14:1', 'rules/e.toml:15:3', 'rules/e.toml:15:23']);
  });
});
