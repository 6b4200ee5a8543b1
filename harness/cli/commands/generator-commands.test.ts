import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../scenarios/load.ts';
import { main } from '../main.ts';
import { captureIo } from '../testing.ts';


const dir = mkdtempSync(join(tmpdir(), 'rh-gen-'));
const rules = join(dir, 'rules');
const scenarios = join(dir, 'scenarios');
mkdirSync(rules);
mkdirSync(scenarios);
const ruleFile = join(rules, 'office_cmd.yml');
writeFileSync(ruleFile, `title: Cmd From Office
id: 00000000-0000-4000-8000-0000000000a1
logsource: { product: windows, category: process_creation }
detection:
  selection:
    ParentImage|endswith: ['\\winword.exe', '\\excel.exe']
    Image|endswith: '\\cmd.exe'
  filter:
    CommandLine|contains: 'legit.bat'
  condition: selection and not filter
`);
writeFileSync(join(scenarios, 'office_cmd.yml'), `rule: 00000000-0000-4000-8000-0000000000a1
cases:
  - name: word spawns cmd
    expect: alert
    events:
      - { ParentImage: 'C:\\Program Files\\Microsoft Office\\WINWORD.EXE', Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe /c whoami' }
  - name: explorer spawns cmd
    expect: none
    events:
      - { ParentImage: 'C:\\Windows\\explorer.exe', Image: 'C:\\Windows\\System32\\cmd.exe' }
`);

describe('rule-harness scaffold', () => {
  const out = join(dir, 'draft.yml');
  test('writes a draft that loads and names what each case covers; refuses to overwrite without --force', async () => {
    const c = captureIo();
    expect(await main(['scaffold', ruleFile, '--out', out], c.io)).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*harness\/scenarios\/scenario\.schema\.json$/);
    const loaded = loadScenarioText(out, text);
    expect(loaded.diagnostics).toEqual([]);
    const cases = loaded.scenario!.cases;
    expect(cases.filter((x) => x.expect.kind === 'alert').length).toBeGreaterThanOrEqual(1);
    expect(cases.some((x) => x.name === 'near miss: not filter')).toBe(true);
    expect(text).toMatch(/# positive for branch 1/);

    const again = captureIo();
    expect(await main(['scaffold', ruleFile, '--out', out], again.io)).toBe(2);
    expect(again.err.join('\n')).toMatch(/already exists.*--force/);
    expect(await main(['scaffold', ruleFile, '--out', out, '--force'], captureIo().io)).toBe(0);
  });
  test('an unknown rule is bad input', async () => {
    const c = captureIo();
    expect(await main(['scaffold', 'no-such-rule', '--rules', rules, '--out', join(dir, 'x.yml')], c.io)).toBe(2);
    expect(existsSync(join(dir, 'x.yml'))).toBe(false);
  });
});

describe('rule-harness generate', () => {
  test('writes the same corpus for the same seed, mirrored by rule path', async () => {
    const gen = join(dir, 'generated');
    const args = ['generate', '--rules', rules, '--scenarios', scenarios, '--out', gen, '--seed', '7', '--runs', '6'];
    const c = captureIo();
    expect(await main(args, c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/wrote 1 corpus file/);
    const file = join(gen, 'variants', 'office_cmd.json');
    const first = readFileSync(file, 'utf8');
    expect(await main(args, captureIo().io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(first);
    const corpus = JSON.parse(first) as { rule: string; variants: { case: string; transformations: string[]; expect: unknown }[]; near_misses: unknown[] };
    expect(corpus.rule).toBe('00000000-0000-4000-8000-0000000000a1');
    expect(corpus.variants.length).toBeGreaterThan(0);
    expect(corpus.variants.every((v) => v.transformations.length > 0)).toBe(true);
    expect(corpus.near_misses.length).toBeGreaterThan(0);
  });
});

describe('rule-harness mutate --sample', () => {
  test('mutates the asked number of tested rules, the same ones every run; a bad number is bad input', async () => {
    const first = captureIo();
    expect(await main(['mutate', '--sample', '2', '--format', 'json', '--threshold', '0'], first.io)).toBe(0);
    const rules = first.out.map((l) => (JSON.parse(l) as { rule: string }).rule);
    expect(rules).toHaveLength(2);
    const again = captureIo();
    expect(await main(['mutate', '--sample', '2', '--format', 'json', '--threshold', '0'], again.io)).toBe(0);
    expect(again.out.map((l) => (JSON.parse(l) as { rule: string }).rule)).toEqual(rules);
    expect(await main(['mutate', '--sample', '0'], captureIo().io)).toBe(2);
  });
});
