import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURE } from '../events/evtx/testing.ts';
import { loadScenarioText } from './load.ts';

// Scenario files are named relative to the working directory; the reference is relative to the scenario.
const scenarioFile = 'scenarios/sigma/x/wmi.yml';
const ref = relative('scenarios/sigma/x', relative('.', FIXTURE)).split('\\').join('/');

describe('scenario events from a recording', () => {
  test('an entry naming a recording stands for its events, selected by EventRecordID or position', () => {
    const text = `rule: r1
cases:
  - name: all of it
    expect: alert
    events:
      - $recording: ${ref}
  - name: by position, after a written event
    expect: alert
    events:
      - { EventID: 1 }
      - { $recording: ${ref}, positions: [0] }
`;
    const r = loadScenarioText(scenarioFile, text);
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario!.cases[0]!.events).toHaveLength(1);
    expect(r.scenario!.cases[0]!.events[0]).toMatchObject({ EventID: 5858, Channel: 'Microsoft-Windows-WMI-Activity/Operational' });
    expect(r.scenario!.cases[1]!.events.map((e) => e['EventID'])).toEqual([1, 5858]);
  });

  test('a missing record or file is a located error', () => {
    const text = `rule: r1
cases:
  - name: missing
    expect: alert
    events:
      - { $recording: ${ref}, record_ids: [1] }
  - name: no file
    expect: alert
    events:
      - $recording: nowhere.evtx
`;
    const r = loadScenarioText(scenarioFile, text);
    expect(r.scenario).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.span?.line, d.message])).toEqual([
      [6, expect.stringMatching(/has no EventRecordID 1/) as string],
      [10, expect.stringMatching(/recording .*nowhere\.evtx:1: cannot read events/) as string],
    ]);
  });

  test('a damaged recording used whole is an error, not a case that silently lost records', () => {
    const bytes = readFileSync(FIXTURE);
    bytes[4096 + 512 + 40]! ^= 0xff; // inside the first chunk's event records: their checksum no longer holds
    const damaged = join(mkdtempSync(join(tmpdir(), 'rh-recording-')), 'damaged.evtx');
    writeFileSync(damaged, bytes);
    const r = loadScenarioText(scenarioFile, `rule: r1\ncases:\n  - name: all of it\n    expect: alert\n    events:\n      - $recording: ${damaged}\n`);
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/is damaged \(\d+ records? skipped; first at offset \d+/);
  });
});
