/** Correlation rules under a pipeline group by the mapped field names. */
import { describe, expect, test } from 'vitest';
import { compileRuleSet } from '../../registry.ts';
import { loadRuleText } from '../../../rules/load.ts';
import { pipelineOf } from './builtin.ts';

const FILE = `title: failed logon
id: 00000000-0000-4000-8000-0000000000a1
name: failed_logon
logsource: { product: windows, service: security }
detection: { sel: { EventID: 4625 }, condition: sel }
---
title: many failed logons from one source
id: 00000000-0000-4000-8000-0000000000a2
correlation:
  type: event_count
  rules: failed_logon
  group-by: [IpAddress]
  timespan: 5m
  condition: { gte: 3 }
`;

describe('correlations under a pipeline', () => {
  test('group-by is mapped like the base rule fields', () => {
    const { rules, filters } = loadRuleText('c.yml', FILE);
    const compiled = compileRuleSet({ rules, filters, diagnostics: [], texts: new Map([['c.yml', FILE]]) }, { sigma: { placeholders: {} } }, pipelineOf(['ecs_windows']));
    const corr = compiled.detectors.get('00000000-0000-4000-8000-0000000000a2')!;
    const ev = (ip: string, s: number) => ({ '@timestamp': `2024-01-01T00:00:0${s}Z`, event: { code: 4625 }, winlog: { channel: 'Security' }, source: { ip } });
    expect(corr.detect([ev('10.0.0.1', 1), ev('10.0.0.1', 2), ev('10.0.0.1', 3)])).toHaveLength(1);
    expect(corr.detect([ev('10.0.0.1', 1), ev('10.0.0.2', 2), ev('10.0.0.1', 3)])).toHaveLength(0);
  });
});
