import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURE } from '../../events/evtx/testing.ts';
import { loadScenarioText } from '../../scenarios/load.ts';
import { main } from '../main.ts';
import { captureIo, tempRule } from '../testing.ts';


const { dir, file: ruleFile } = tempRule('rh-from-', 'office_cmd.yml', `title: Cmd From Office
id: 00000000-0000-4000-8000-0000000000b1
logsource: { product: windows, category: process_creation }
detection:
  selection:
    ParentImage|endswith: '\\winword.exe'
    Image|endswith: '\\cmd.exe'
  condition: selection
`);
const recording = join(dir, 'lab.jsonl');
const recorded = [
  { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'ws1', EventRecordID: 10, ParentImage: 'C:\\Windows\\explorer.exe', Image: 'C:\\Windows\\System32\\notepad.exe', Hashes: 'x' },
  { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'ws1', EventRecordID: 11, ParentImage: 'C:\\Office\\WINWORD.EXE', Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c whoami', Hashes: 'y' },
  { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'ws1', EventRecordID: 12, ParentImage: 'C:\\Windows\\explorer.exe', Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd', Hashes: 'z' },
  // As close as event 2, but from another log source: not a negative for this rule.
  { EventID: 4688, Channel: 'Security', Computer: 'ws1', EventRecordID: 13, ParentImage: 'C:\\Windows\\explorer.exe', Image: 'C:\\Windows\\System32\\cmd.exe' },
];
writeFileSync(recording, recorded.map((e) => JSON.stringify(e)).join('\n'));

describe('scaffold --from <recording>', () => {
  test('fired events become trimmed positives, the closest others negatives, each naming its record', async () => {
    const out = join(dir, 'from.yml');
    const c = captureIo();
    expect(await main(['scaffold', ruleFile, '--from', recording, '--out', out], c.io)).toBe(0);
    const text = readFileSync(out, 'utf8');
    const scenario = loadScenarioText(out, text).scenario!;
    const positive = scenario.cases.find((k) => k.expect.kind === 'alert')!;
    expect(positive.events).toEqual([{ EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'ws1', EventRecordID: 11, ParentImage: 'C:\\Office\\WINWORD.EXE', Image: 'C:\\Windows\\System32\\cmd.exe' }]);
    expect(text).toContain(`positive from ${recording}, event 1 (EventRecordID 11)`);
    // Event 2 satisfies one constraint (Image) and is the closest non-match; event 0 satisfies none.
    expect(text).toContain(`negative from ${recording}, event 2 (EventRecordID 12)`);
    expect(text).not.toContain('event 0 (EventRecordID 10)');
    expect(text).not.toContain('(EventRecordID 13)');
    expect(scenario.cases.some((k) => k.name.startsWith('near miss'))).toBe(true);
  });

  test('--append adds the recorded cases to an existing scenario; without it an existing file is kept', async () => {
    const out = join(dir, 'existing.yml');
    writeFileSync(out, 'rule: 00000000-0000-4000-8000-0000000000b1\ncases:\n  - name: hand written\n    expect: none\n    events:\n      - { Image: x }\n');
    const refused = captureIo();
    expect(await main(['scaffold', ruleFile, '--from', recording, '--out', out], refused.io)).toBe(2);
    expect(refused.err.join('\n')).toMatch(/--append/);
    const c = captureIo();
    expect(await main(['scaffold', ruleFile, '--from', recording, '--out', out, '--append'], c.io)).toBe(0);
    const scenario = loadScenarioText(out, readFileSync(out, 'utf8')).scenario!;
    expect(scenario.cases[0]!.name).toBe('hand written');
    expect(scenario.cases.length).toBeGreaterThan(2);
  });

  test('an EVTX recording is read natively', async () => {
    const rule = join(dir, 'wmi.yml');
    writeFileSync(rule, `title: WMI ClearEventLog
id: 00000000-0000-4000-8000-0000000000b2
logsource: { product: windows, service: wmi }
detection:
  selection:
    EventID: 5858
    Operation|contains: cleareventlog
  condition: selection
`);
    const out = join(dir, 'wmi-scenario.yml');
    expect(await main(['scaffold', rule, '--from', FIXTURE, '--out', out], captureIo().io)).toBe(0);
    const scenario = loadScenarioText(out, readFileSync(out, 'utf8')).scenario!;
    expect(scenario.cases[0]!.events[0]).toMatchObject({ EventID: 5858, Channel: 'Microsoft-Windows-WMI-Activity/Operational', Computer: 'swachchhanda' });
    expect(scenario.cases[0]!.events[0]).not.toHaveProperty('Event');
  });
});
