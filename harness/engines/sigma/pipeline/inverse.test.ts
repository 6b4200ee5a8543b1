/** Events in Sigma's field names translated for a pipeline by its inverse mapping. */
import { load } from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { ruleOf } from '../testing.ts';
import { pipelineOf } from './builtin.ts';
import { InverseMappingConflict, translateEvents } from './inverse.ts';
import { composePipelines } from './apply.ts';
import { parsePipeline } from './load.ts';

const rule = (yaml: string) => ruleOf(load(yaml) as Record<string, unknown>);
const PROC = rule(`logsource: { product: windows, category: process_creation }\ndetection: { sel: { Image|endswith: a }, condition: sel }`);
const SEC = rule(`logsource: { product: windows, service: security }\ndetection: { sel: { SubjectUserName: a }, condition: sel }`);

describe('inverse field mapping', () => {
  test('ecs_windows: fields move to their ECS names (nested), the others under winlog.event_data', () => {
    const t = translateEvents(PROC, pipelineOf(['ecs_windows'])!, [{ Image: 'C:\\cmd.exe', CommandLine: 'cmd /c', IntegrityLevel: 'High', nested: { kept: 1 } }]);
    expect(t.events).toEqual([{ process: { executable: 'C:\\cmd.exe', command_line: 'cmd /c' }, winlog: { event_data: { IntegrityLevel: 'High' } }, nested: { kept: 1 } }]);
    expect(t.notes).toEqual([]);
  });
  test('keys that cannot be Sigma field names are kept as they are', () => {
    expect(translateEvents(PROC, pipelineOf(['ecs_windows'])!, [{ 'a|b': 1, '': 2, Image: 'x' }]).events).toEqual([{ 'a|b': 1, '': 2, process: { executable: 'x' } }]);
  });
  test('conditions the pipeline adds are supplied: the channel of a service, the EventID of a category', () => {
    expect(translateEvents(SEC, pipelineOf(['ecs_windows'])!, [{ SubjectUserName: 'bob' }]).events).toEqual([{ user: { name: 'bob' }, winlog: { channel: 'Security' } }]);
    expect(translateEvents(PROC, pipelineOf(['sysmon'])!, [{ Image: 'x' }]).events).toEqual([{ Image: 'x', EventID: 1 }]);
    expect(translateEvents(PROC, pipelineOf(['sysmon'])!, [{ Image: 'x', EventID: 4688 }]).events).toEqual([{ Image: 'x', EventID: 4688 }]);
  });
  test('ambiguity is stated: an added condition with several values, a field mapped to several names', () => {
    const reg = rule(`logsource: { product: windows, category: registry_event }\ndetection: { sel: { TargetObject: a }, condition: sel }`);
    const t = translateEvents(reg, pipelineOf(['sysmon'])!, [{ TargetObject: 'k' }]);
    expect(t.events).toEqual([{ TargetObject: 'k', EventID: 12 }]);
    expect(t.notes).toEqual(['sysmon requires EventID to be one of 12, 13, 14: the translated events use 12']);
    const many = composePipelines([parsePipeline('m.yml', 'name: m\ntransformations: [{ type: field_name_mapping, mapping: { Image: [a.exe, b.exe] } }]')]);
    const m = translateEvents(PROC, many, [{ Image: 'x' }]);
    expect(m.events).toEqual([{ a: { exe: 'x' } }]);
    expect(m.notes).toEqual(['Image maps to a.exe, b.exe under m: the translated event uses a.exe']);
  });
  test('two fields landing on one name: the rule’s field wins; if the rule reads both, the case must give events_for', () => {
    const t = translateEvents(SEC, pipelineOf(['ecs_windows'])!, [{ SubjectUserName: 'bob', User: 'CORP\\x' }]);
    expect(t.events).toEqual([{ user: { name: 'bob' }, winlog: { channel: 'Security' } }]);
    expect(t.notes).toEqual(['User also maps to user.name under ecs_windows; the translated event keeps SubjectUserName\'s value']);
    const both = rule(`logsource: { product: windows, service: security }\ndetection: { sel: { SubjectUserName: a, User: b }, condition: sel }`);
    expect(() => translateEvents(both, pipelineOf(['ecs_windows'])!, [{ SubjectUserName: 'bob', User: 'x' }])).toThrow(InverseMappingConflict);
  });
});
