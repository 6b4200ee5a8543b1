/** `match --pipeline` and `explain --pipeline`: Sigma rules as a processing pipeline maps them. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from './main.ts';
import { captureIo, tempRule } from './testing.ts';


const { dir, file: rule } = tempRule('rh-pipeline-', 'cmd.yml', `title: Cmd From Office
id: 00000000-0000-4000-8000-000000000001
logsource: { product: windows, category: process_creation }
detection:
  selection: { ParentImage|endswith: '\\winword.exe', Image|endswith: '\\cmd.exe' }
  condition: selection
`);
const ecs = { process: { parent: { executable: 'C:\\Office\\WINWORD.EXE' }, executable: 'C:\\Windows\\cmd.exe' } };
const sigma = { ParentImage: 'C:\\Office\\WINWORD.EXE', Image: 'C:\\Windows\\cmd.exe' };
const events = join(dir, 'events.json');
writeFileSync(events, JSON.stringify([ecs, sigma]));
const rejecting = join(dir, 'reject.yml');
writeFileSync(rejecting, "name: strict\ntransformations:\n  - { type: rule_failure, message: 'no process_creation here', rule_conditions: [{ type: logsource, category: process_creation }] }\n");

describe('--pipeline', () => {
  test('match runs the rule as mapped: the ECS event alerts, the Sigma-named one does not', async () => {
    const c = captureIo();
    expect(await main(['match', '--rules', rule, '--events', events, '--format', 'json', '--pipeline', 'ecs_windows'], c.io)).toBe(0);
    expect(c.out.map((l) => (JSON.parse(l) as { events: number[] }).events)).toEqual([[0]]);
  });
  test('repeatable: pipelines compose by priority', async () => {
    const c = captureIo();
    expect(await main(['match', '--rules', rule, '--events', events, '--pipeline', 'ecs_windows', '--pipeline=sysmon', '--format', 'json'], c.io)).toBe(0);
    expect(c.out).toEqual([]); // sysmon adds EventID 1 (event.code under ECS), which neither event has
  });
  test('a rule the pipeline rejects is listed as not evaluable, with the pipeline message', async () => {
    const c = captureIo();
    expect(await main(['match', '--rules', rule, '--events', events, '--pipeline', rejecting], c.io)).toBe(0);
    expect(c.err.join('\n')).toContain('not evaluable: ');
    expect(c.err.join('\n')).toContain('rejected by pipeline strict: no process_creation here');
  });
  test("a pipeline's postprocessing is ignored with a warning naming its file", async () => {
    const withPost = join(dir, 'post.yml');
    writeFileSync(withPost, "name: post\ntransformations:\n  - { type: field_name_prefix, prefix: x. }\npostprocessing:\n  - { type: embed, prefix: '(' }\n");
    const c = captureIo();
    expect(await main(['match', '--rules', rule, '--events', events, '--pipeline', withPost], c.io)).toBe(0);
    expect(c.err.join('\n')).toMatch(/post\.yml.*'postprocessing' ignored/s);
  });
  test('an unknown pipeline is bad input', async () => {
    const c = captureIo();
    expect(await main(['match', '--rules', rule, '--events', events, '--pipeline', 'ecs_window'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/unknown pipeline 'ecs_window'.*did you mean 'ecs_windows'/s);
  });
  test('explain shows which field became which and the conditions added', async () => {
    const c = captureIo();
    expect(await main(['explain', rule, events, '--pipeline', 'sysmon', '--pipeline', 'ecs_windows'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain('as mapped by pipeline sysmon+ecs_windows:');
    expect(text).toContain('ParentImage → process.parent.executable');
    expect(text).toMatch(/added condition _cond_\w+ \(EventID: 1\)/);
    expect(text).toContain('✓ process.executable|endswith:');
  });
});
