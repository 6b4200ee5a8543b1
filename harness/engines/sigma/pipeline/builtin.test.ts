/**
 * The built-in pipelines against the tables of their public sources
 * (pySigma-backend-elasticsearch ecs_windows, pySigma-pipeline-sysmon,
 * pySigma-pipeline-windows): what a rule becomes and which events it matches.
 */
import { load } from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { HarnessError } from '../../../core/diagnostics.ts';
import { compileSigmaRule, pipelineMappingOf } from '../index.ts';
import { filterOf, ruleOf } from '../testing.ts';
import { BUILTIN_PIPELINES, pipelineOf } from './builtin.ts';
import { fieldsOf } from './testing.ts';

function under(refs: string[], yaml: string) {
  const body = load(yaml) as Record<string, unknown>;
  return compileSigmaRule(ruleOf(body), [], { placeholders: {}, pipeline: pipelineOf(refs) });
}

const PROC = `
logsource: { product: windows, category: process_creation }
detection:
  sel: { Image|endswith: '\\whoami.exe', CommandLine|contains: '/all', IntegrityLevel: High, ParentImage|endswith: '\\cmd.exe' }
  condition: sel`;
const SECURITY = `
logsource: { product: windows, service: security }
detection:
  sel: { EventID: 4624, TargetUserName: bob, IpAddress: 10.0.0.1, SubjectUserName: alice }
  condition: sel`;

describe('built-in pipelines', () => {
  test('every built-in loads', () => {
    for (const name of Object.keys(BUILTIN_PIPELINES)) expect(pipelineOf([name])?.pipelines[0]?.items.length, name).toBeGreaterThan(0);
  });

  test('two names for one data file keep their own names', () => {
    expect(pipelineOf(['ecs_zeek_beats'])?.name).toBe('ecs_zeek_beats');
    expect(pipelineOf(['ecs_zeek'])?.name).toBe('ecs_zeek');
  });

  test('ecs_windows: process creation fields to ECS, the rest under winlog.event_data, no added condition', () => {
    const d = under(['ecs_windows'], PROC);
    expect(fieldsOf(d)).toEqual(['process.executable', 'process.command_line', 'winlog.event_data.IntegrityLevel', 'process.parent.executable']);
    expect(pipelineMappingOf(d)?.conditions).toEqual(['sel']);
    expect(d.matches({ process: { executable: 'C:\\Windows\\System32\\whoami.exe', command_line: 'whoami /all', parent: { executable: 'C:\\Windows\\cmd.exe' } }, winlog: { event_data: { IntegrityLevel: 'High' } } })).toBe(true);
  });

  test('ecs_windows: a security rule gets the Security channel and its service-specific mappings', () => {
    const d = under(['ecs_windows'], SECURITY);
    expect(fieldsOf(d)).toEqual(['winlog.channel', 'event.code', 'winlog.event_data.TargetUserName', 'source.ip', 'user.name']);
    const event = { winlog: { channel: 'Security', event_data: { TargetUserName: 'bob' } }, event: { code: 4624 }, source: { ip: '10.0.0.1' }, user: { name: 'alice' } };
    expect(d.matches(event)).toBe(true);
    expect(d.matches({ ...event, winlog: { ...event.winlog, channel: 'System' } })).toBe(false);
  });

  test('ecs_windows_old: event_id and event_data.*', () => {
    expect(fieldsOf(under(['ecs_windows_old'], SECURITY))).toEqual(['winlog.channel', 'event_id', 'event_data.TargetUserName', 'event_data.IpAddress', 'event_data.SubjectUserName']);
  });

  test('sysmon: EventID per category and the logsource becomes the sysmon service', () => {
    const d = under(['sysmon'], PROC);
    expect(pipelineMappingOf(d)?.logsource).toEqual({ category: 'process_creation', product: 'windows', service: 'sysmon' });
    expect(fieldsOf(d)[0]).toBe('EventID');
    const reg = under(['sysmon'], `logsource: { product: windows, category: registry_event }\ndetection: { sel: { TargetObject|contains: Run }, condition: sel }`);
    expect(reg.matches({ EventID: 14, TargetObject: 'HKLM\\...\\Run' })).toBe(true);
    expect(reg.matches({ EventID: 1, TargetObject: 'HKLM\\...\\Run' })).toBe(false);
  });

  test('sysmon then ecs_windows (priority 10 before 20): the Sysmon channel and event.code 1', () => {
    const d = under(['ecs_windows', 'sysmon'], PROC);
    expect(fieldsOf(d).slice(0, 2)).toEqual(['winlog.channel', 'event.code']);
    expect(pipelineMappingOf(d)?.conditions[0]).toMatch(/^_cond_\w+ and \(_cond_\w+ and \(sel\)\)$/);
  });

  test('windows-audit: 4688 from the Security log with NewProcessName', () => {
    const d = under(['windows-audit'], PROC);
    expect(pipelineMappingOf(d)?.logsource).toEqual({ category: null, product: 'windows', service: 'security' });
    expect(fieldsOf(d)).toEqual(['EventID', 'NewProcessName', 'CommandLine', 'IntegrityLevel', 'ParentProcessName']);
    expect(d.matches({ EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /all', IntegrityLevel: 'High', ParentProcessName: 'C:\\Windows\\cmd.exe' })).toBe(true);
  });

  test('windows-logsources: Channel per service, and PowerShell categories to EventID + channel', () => {
    expect(fieldsOf(under(['windows-logsources'], SECURITY))[0]).toBe('Channel');
    const ps = under(['windows-logsources'], `logsource: { product: windows, category: ps_script }\ndetection: { sel: { ScriptBlockText|contains: Invoke-Mimikatz }, condition: sel }`);
    expect(ps.matches({ EventID: 4104, Channel: 'PowerShellCore/Operational', ScriptBlockText: 'Invoke-Mimikatz -x' })).toBe(true);
    expect(ps.matches({ EventID: 4104, Channel: 'Windows PowerShell', ScriptBlockText: 'Invoke-Mimikatz -x' })).toBe(false);
  });

  test('ecs_zeek_beats: zeek log sources to event.dataset and ECS names; field-name patterns are not evaluable', () => {
    const dns = under(['ecs_zeek'], `logsource: { product: zeek, service: dns }\ndetection: { sel: { query|endswith: .onion, dst_ip|cidr: 10.0.0.0/8 }, condition: sel }`);
    expect(fieldsOf(dns)).toEqual(['event.dataset', 'dns.question.name', 'destination.address', 'destination.ip']);
    expect(dns.matches({ event: { dataset: 'zeek.dns' }, dns: { question: { name: 'abc.onion' } }, destination: { ip: '10.1.2.3' } })).toBe(true);
    const proxy = under(['ecs_zeek'], `logsource: { category: proxy }\ndetection: { sel: { c-useragent: curl }, condition: sel }`);
    expect(pipelineMappingOf(proxy)?.logsource).toEqual({ category: null, product: 'zeek', service: 'http' });
    expect(proxy.matches({ event: { dataset: 'zeek.http' }, user_agent: { original: 'curl' } })).toBe(true);
    expect(() => under(['ecs_zeek'], `logsource: { product: zeek, service: http }\ndetection: { sel: { user_agent: curl }, condition: sel }`)).toThrow(/field zeek\.\*user_agent\* is a field-name pattern/);
  });

  test('a Sigma filter is mapped along with the rule it applies to', () => {
    const filter = filterOf(`title: no DCs\nlogsource: { product: windows }\nfilter:\n  rules: any\n  dc: { ComputerName|startswith: DC- }\n  condition: not dc\n`);
    const body = load(PROC) as Record<string, unknown>;
    const d = compileSigmaRule(ruleOf(body), [filter], { placeholders: {}, pipeline: pipelineOf(['ecs_windows']) });
    const event = { process: { executable: 'C:\\whoami.exe', command_line: 'whoami /all', parent: { executable: 'C:\\cmd.exe' } }, winlog: { event_data: { IntegrityLevel: 'High' }, computer_name: 'WS-1' } };
    expect(d.matches(event)).toBe(true);
    expect(d.matches({ ...event, winlog: { ...event.winlog, computer_name: 'DC-1' } })).toBe(false);
  });

  test('a pipeline reference that is neither a built-in nor a file is an error with a suggestion', () => {
    expect(() => pipelineOf(['ecs_window'])).toThrow(HarnessError);
    expect(() => pipelineOf(['ecs_window'])).toThrow(/did you mean 'ecs_windows'/);
    expect(() => pipelineOf(['none', 'sysmon'])).toThrow(/'none' cannot be combined/);
    expect(pipelineOf(['none'])).toBeUndefined();
  });
});
