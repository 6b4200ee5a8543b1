import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURE } from '../../events/evtx/testing.ts';
import { main } from '../main.ts';
import { captureIo, tempRule } from '../testing.ts';


const { dir, file: rule } = tempRule('rh-match-', 'wmi.yml', `title: WMI ClearEventLog
id: 00000000-0000-4000-8000-0000000000c1
logsource: { product: windows, service: wmi }
detection:
  selection:
    Channel: Microsoft-Windows-WMI-Activity/Operational
    Operation|contains: cleareventlog
  condition: selection
`);

describe('match on recordings and streams', () => {
  test('an .evtx file is read natively', async () => {
    const c = captureIo();
    expect(await main(['match', '--rules', rule, '--events', FIXTURE, '--format', 'json'], c.io)).toBe(0);
    expect(c.out.map((l) => JSON.parse(l) as unknown)).toEqual([{ rule: '00000000-0000-4000-8000-0000000000c1', title: 'WMI ClearEventLog', events: [0] }]);
  });

  test('a damaged .evtx is read as far as it is valid, each problem a located warning', async () => {
    const cut = join(dir, 'cut.evtx');
    writeFileSync(cut, readFileSync(FIXTURE).subarray(0, 5000));
    const c = captureIo();
    expect(await main(['match', '--rules', rule, '--events', cut], c.io)).toBe(0);
    expect(c.out).toEqual(['no alerts']);
    expect(c.err.join('\n')).toMatch(/cut\.evtx: offset 5000: warning: file ends .* into a chunk/);
    expect(c.err.join('\n')).toMatch(/cut\.evtx: offset 4608: warning: record size/);
  });

  test('an EQL sequence over a stream gives the input positions of its events', async () => {
    const ev = join(dir, 'seq.jsonl');
    const events = [
      { '@timestamp': '2024-01-01T00:00:00Z', event: { category: 'process' }, process: { name: 'a' }, host: { id: 'h1' } },
      { '@timestamp': '2024-01-01T00:00:01Z', event: { category: 'network' }, host: { id: 'h9' } },
      { '@timestamp': '2024-01-01T00:00:02Z', event: { category: 'process' }, process: { name: 'b' }, host: { id: 'h1' } },
    ];
    writeFileSync(ev, events.map((e) => JSON.stringify(e)).join('\n'));
    const c = captureIo();
    expect(await main(['match', '--language', 'eql', '--query', 'sequence by host.id [process where process.name == "a"] [process where process.name == "b"]', '--events', ev, '--format', 'json'], c.io)).toBe(0);
    expect(c.out.map((l) => (JSON.parse(l) as { events: number[] }).events)).toEqual([[0, 2]]);
  });
});
