import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../scenarios/load.ts';
import { main } from '../main.ts';

const RULE = `title: Office Spawns Shell
id: 00000000-0000-4000-8000-0000000000b2
logsource: { product: windows, category: process_creation }
detection:
  sel_cmd:
    ParentImage|endswith: '\\winword.exe'
    Image|endswith: '\\cmd.exe'
  sel_pwsh:
    ParentImage|endswith: '\\excel.exe'
    Image|endswith: '\\powershell.exe'
  condition: 1 of sel_*
`;
const SCENARIO = `# the team's own comment stays
rule: 00000000-0000-4000-8000-0000000000b2
cases:
  - name: word spawns cmd
    expect: alert
    events:
      - { ParentImage: 'C:\\Program Files\\Microsoft Office\\WINWORD.EXE', Image: 'C:\\Windows\\System32\\cmd.exe' }
`;

describe('scaffold --missing', () => {
  test('adds a positive only for the branch no case exercises, keeping the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-missing-'));
    mkdirSync(join(dir, 'rules'));
    mkdirSync(join(dir, 'scenarios'));
    writeFileSync(join(dir, 'rules', 'office.yml'), RULE);
    const scenario = join(dir, 'scenarios', 'office.yml');
    writeFileSync(scenario, SCENARIO);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['scaffold', join(dir, 'rules', 'office.yml'), '--rules', join(dir, 'rules'), '--out', scenario, '--missing'], { out: (t) => out.push(t), err: (t) => err.push(t) });
    expect(code, err.join('\n')).toBe(0);
    const text = readFileSync(scenario, 'utf8');
    expect(text.startsWith("# the team's own comment stays")).toBe(true);
    const s = loadScenarioText('office.yml', text).scenario!;
    expect(s.cases.map((c) => c.name)[0]).toBe('word spawns cmd');
    expect(s.cases).toHaveLength(2);
    const added = s.cases[1]!;
    expect(added.expect.kind).toBe('alert');
    expect(String(added.events[0]!.Image).toLowerCase()).toMatch(/\\powershell\.exe$/);
    expect(text).toContain('added by scaffold --missing');
    // A second run has nothing left to add.
    const again: string[] = [];
    expect(await main(['scaffold', join(dir, 'rules', 'office.yml'), '--rules', join(dir, 'rules'), '--out', scenario, '--missing'], { out: (t) => again.push(t), err: () => undefined })).toBe(0);
    expect(again.join('\n')).toMatch(/nothing added/);
  });
});
