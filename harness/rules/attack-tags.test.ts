import { describe, expect, test } from 'vitest';
import { attackFromTags } from './attack-tags.ts';

describe('attackFromTags', () => {
  test('splits techniques, sub-techniques and tactics; ignores groups and other namespaces', () => {
    const r = attackFromTags(['attack.execution', 'attack.t1059.001', 'attack.T1082', 'attack.credential_access', 'attack.g0016', 'attack.s0002', 'cve.2021-44228', 'detection.threat-hunting']);
    expect(r.techniques).toEqual(['T1059.001', 'T1082']);
    expect(r.tactics).toEqual(['execution', 'credential-access']);
  });
});
