import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../scenarios/load.ts';
import { main } from '../main.ts';
import { captureIo } from '../testing.ts';

const rule = (id: string, title: string, detection: string): string => `title: ${title}
id: ${id}
logsource: { product: windows, category: process_creation }
detection:
${detection}
`;
const CMD = '00000000-0000-4000-8000-0000000000d1';
const ANY = '00000000-0000-4000-8000-0000000000d2';
const BAD = '00000000-0000-4000-8000-0000000000d3';


function project(): { dir: string; rules: string; scenarios: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'rh-bulk-'));
  const rules = join(dir, 'rules');
  const scenarios = join(dir, 'scenarios');
  mkdirSync(join(rules, 'win', 'proc'), { recursive: true });
  writeFileSync(join(rules, 'win', 'proc', 'cmd.yml'), rule(CMD, 'Cmd From Word', "  selection:\n    ParentImage|endswith: '\\\\winword.exe'\n    Image|endswith: '\\\\cmd.exe'\n  condition: selection"));
  writeFileSync(join(rules, 'win', 'proc', 'any_cmd.yml'), rule(ANY, 'Any Cmd', "  selection:\n    Image|endswith: '\\\\cmd.exe'\n  condition: selection"));
  writeFileSync(join(rules, 'win', 'bad.yml'), rule(BAD, 'Bad Modifier', "  selection:\n    Image|nosuchmodifier: 'x'\n  condition: selection"));
  return { dir, rules, scenarios, args: ['--rules', rules, '--scenarios', scenarios] };
}

describe('rule-harness scaffold, in bulk', () => {
  test('a folder: every rule drafted in one run, also_fires from the index, a summary naming what was not evaluable; re-runs keep the files', async () => {
    const p = project();
    const c = captureIo();
    expect(await main(['scaffold', p.rules, ...p.args], c.io)).toBe(0);
    const summary = c.out.at(-1)!;
    expect(summary).toMatch(/^scaffold: 3 rule files from .* · 2 scenarios written \(2 new, 0 replaced, 0 extended; \d+ cases: \d+ positive, \d+ negative\) · 0 kept .* · 0 not drafted · 1 not evaluable/);
    expect(c.err.join('\n')).toMatch(/not evaluable \(1\):\n {2}.*win\/bad\.yml: .*nosuchmodifier/);
    const file = join(p.scenarios, 'win', 'proc', 'cmd.yml');
    const cases = loadScenarioText(file, readFileSync(file, 'utf8')).scenario!.cases;
    // The broader rule fires on the narrower rule's positives: declared through the index.
    expect(cases.filter((x) => x.expect.kind === 'alert').every((x) => x.alsoFires.includes(ANY))).toBe(true);
    expect(existsSync(join(p.scenarios, 'win', 'bad.yml'))).toBe(false);

    const before = readFileSync(file, 'utf8');
    const again = captureIo();
    expect(await main(['scaffold', p.rules, ...p.args], again.io)).toBe(0);
    expect(again.out.at(-1)).toMatch(/0 scenarios written .* · 2 kept/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test('a quoted glob selects by path; --all-missing drafts only rules without a scenario; bad targets are bad input', async () => {
    const p = project();
    const glob = captureIo();
    expect(await main(['scaffold', join(p.rules, '**', 'any_*.yml'), ...p.args], glob.io)).toBe(0);
    expect(glob.out.at(-1)).toMatch(/^scaffold: 1 rule file .* 1 scenario written/);
    expect(existsSync(join(p.scenarios, 'win', 'proc', 'any_cmd.yml'))).toBe(true);

    const missing = captureIo();
    expect(await main(['scaffold', '--all-missing', ...p.args], missing.io)).toBe(0);
    expect(missing.out.at(-1)).toMatch(/^scaffold: 2 rule files .* 1 scenario written .* 1 not evaluable/);

    const none = captureIo();
    expect(await main(['scaffold', join(p.rules, '**', 'nothing_*.yml'), join(p.rules, 'win'), ...p.args], none.io)).toBe(2);
    expect(none.err.join('\n')).toMatch(/no rule file under .* matches: .*nothing_\*\.yml/);
    expect(await main(['scaffold', '--all-missing', p.rules, ...p.args], captureIo().io)).toBe(2);
  });
});
