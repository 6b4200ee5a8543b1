import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { editAlsoFires } from '../../scenarios/edit-also-fires.ts';
import { loadScenarioText } from '../../scenarios/load.ts';
import { main } from '../main.ts';
import { captureIo } from '../testing.ts';

const rule = (id: string, title: string, image: string): string => `title: ${title}
id: ${id}
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '${image}'
  condition: selection
`;
const A = '00000000-0000-4000-8000-0000000000c1';
const B = '00000000-0000-4000-8000-0000000000c2';
const C = '00000000-0000-4000-8000-0000000000c3';
const SCENARIO = `# the team's comment stays
rule: ${A}
cases:
  - name: cmd runs    # why this case matters
    expect: alert
    events:
      - { Image: 'C:\\Windows\\System32\\cmd.exe' }
  - name: notepad runs
    expect: none
    also_fires: [${C}]   # once true
    events:
      - { Image: 'C:\\Windows\\notepad.exe' }
`;


describe('rule-harness accept', () => {
  test('adds the undeclared rules that fire, removes stale declarations, keeps comments, lists every change; --check writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-accept-'));
    mkdirSync(join(dir, 'rules'));
    mkdirSync(join(dir, 'scenarios'));
    writeFileSync(join(dir, 'rules', 'a.yml'), rule(A, 'Cmd', '\\cmd.exe'));
    writeFileSync(join(dir, 'rules', 'b.yml'), rule(B, 'Any System32 Exe', '.exe'));
    writeFileSync(join(dir, 'rules', 'c.yml'), rule(C, 'Calc', '\\calc.exe'));
    const file = join(dir, 'scenarios', 'a.yml');
    writeFileSync(file, SCENARIO);
    const args = ['accept', '--rules', join(dir, 'rules'), '--scenarios', join(dir, 'scenarios')];

    const check = captureIo();
    expect(await main([...args, '--check'], check.io)).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(SCENARIO);
    expect(check.out.join('\n')).toMatch(/case 'cmd runs' \(line 4\): \+ 00000000-0000-4000-8000-0000000000c2 \(Any System32 Exe\)/);
    expect(check.out.join('\n')).toMatch(/case 'notepad runs' \(line 8\): \+ 00000000-0000-4000-8000-0000000000c2 \(Any System32 Exe\), - 00000000-0000-4000-8000-0000000000c3/);

    const run = captureIo();
    expect(await main(args, run.io)).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain("# the team's comment stays");
    expect(text).toContain('# why this case matters');
    const cases = loadScenarioText('a.yml', text).scenario!.cases;
    expect(cases.map((c) => c.alsoFires)).toEqual([[B], [B]]);
    expect(run.out.at(-1)).toMatch(/changed 2 case\(s\) in 1 file\(s\): 2 declaration\(s\) added, 1 removed/);

    const again = captureIo();
    expect(await main([...args, '--check'], again.io)).toBe(0);
    expect(again.out.join('\n')).toMatch(/nothing to change/);
  });

  test('editing keeps flow style, quoting and other keys; an emptied list disappears', () => {
    const text = "rule: r\ncases:\n  - name: x\n    expect: alert\n    also_fires: ['a', b]   # note\n    events: [{ 'k': 1 }]\n";
    const out = editAlsoFires(text, [{ index: 0, add: ['c'], remove: ['b'] }]);
    expect(out).toBe("rule: r\ncases:\n  - name: x\n    expect: alert\n    also_fires: [ 'a', c ] # note\n    events: [ { 'k': 1 } ]\n");
    expect(editAlsoFires(text, [{ index: 0, add: [], remove: ['a', 'b'] }])).not.toContain('also_fires');
  });
});
