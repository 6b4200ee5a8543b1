import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

describe('rule-harness generate at scale', () => {
  test("a rule's file is byte-identical whatever other rules the project holds", async () => {
    const other = mkdtempSync(join(tmpdir(), 'rh-gen-other-'));
    mkdirSync(join(other, 'rules'));
    mkdirSync(join(other, 'scenarios'));
    copyFileSync(ruleFile, join(other, 'rules', 'office_cmd.yml'));
    copyFileSync(join(scenarios, 'office_cmd.yml'), join(other, 'scenarios', 'office_cmd.yml'));
    // A second rule loaded (and generated) before it: shared generator state would shift its variants.
    writeFileSync(join(other, 'rules', 'a_whoami.yml'), `title: Whoami
id: 00000000-0000-4000-8000-0000000000a0
logsource: { product: windows, category: process_creation }
detection:
  selection: { Image|endswith: '\\whoami.exe' }
  condition: selection
`);
    writeFileSync(join(other, 'scenarios', 'a_whoami.yml'), `rule: 00000000-0000-4000-8000-0000000000a0
cases:
  - name: whoami
    expect: alert
    events:
      - { Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /all' }
`);
    const alone = join(dir, 'gen-alone');
    const beside = join(other, 'generated');
    expect(await main(['generate', '--rules', rules, '--scenarios', scenarios, '--out', alone], captureIo().io)).toBe(0);
    const c = captureIo();
    expect(await main(['generate', '--rules', join(other, 'rules'), '--scenarios', join(other, 'scenarios'), '--out', beside], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/wrote 2 corpus files/);
    // rule_file names the rule as given on the command line, which differs between the two projects here.
    const body = (root: string): string => readFileSync(join(root, 'variants', 'office_cmd.json'), 'utf8').replace(/"rule_file": "[^"]*"/, '');
    expect(body(beside)).toBe(body(alone));
  });

  test('caps each file, keeps every case represented, counts what it left out and says so', async () => {
    const gen = join(dir, 'gen-capped');
    const args = ['generate', '--rules', rules, '--scenarios', scenarios, '--out', gen, '--runs', '40', '--max-file-kb', '6'];
    const c = captureIo();
    expect(await main(args, c.io)).toBe(0);
    const file = join(gen, 'variants', 'office_cmd.json');
    expect(statSync(file).size).toBeLessThanOrEqual(6 * 1024);
    const text = readFileSync(file, 'utf8');
    const corpus = JSON.parse(text) as { variants: { case: string }[]; near_misses: unknown[]; omitted?: { variants: number; near_misses: number; max_bytes: number } };
    expect(corpus.omitted?.max_bytes).toBe(6 * 1024);
    expect(corpus.omitted!.variants).toBeGreaterThan(0);
    expect(new Set(corpus.variants.map((v) => v.case))).toEqual(new Set(['word spawns cmd', 'explorer spawns cmd']));
    expect(c.out.join('\n')).toMatch(/1 file reached the 6 KiB cap \(--max-file-kb\); what each left out is in its "omitted":\n {2}.*office_cmd\.json: \d+ variants, \d+ near misses left out/);
    // Capped output is as deterministic as the rest.
    expect(await main(args, captureIo().io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(await main(['generate', '--max-file-kb', '0'], captureIo().io)).toBe(2);
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
