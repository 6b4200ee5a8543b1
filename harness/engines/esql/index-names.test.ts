import { describe, expect, test } from 'vitest';
import { resolveIndices } from './commands/from.ts';
import { patternReaches, reachableNames } from './index-names.ts';

describe('index names a FROM pattern reaches', () => {
  test("a data stream's backing index is reached through its stream; an alerts index through its alias", () => {
    expect(reachableNames('.ds-metrics-system.cpu-default-2024.05.01-000001')).toEqual(['.ds-metrics-system.cpu-default-2024.05.01-000001', 'metrics-system.cpu-default']);
    expect(reachableNames('.internal.alerts-security.alerts-default-000001')).toEqual(['.internal.alerts-security.alerts-default-000001', '.alerts-security.alerts-default']);
    expect(reachableNames('logs-endpoint.events.process-default')).toEqual(['logs-endpoint.events.process-default']);
    expect(patternReaches('metrics-*')('.ds-metrics-system.process-default-2024.05.01-000002')).toBe(true);
    expect(patternReaches('.alerts-security.*')('.internal.alerts-security.alerts-default-000001')).toBe(true);
    expect(patternReaches('logs-*')('.ds-metrics-system.cpu-default-2024.05.01-000001')).toBe(false);
    expect(patternReaches('ds-*')('.ds-logs-x-2024.05.01-000001')).toBe(false);
  });

  test('FROM resolves, and excludes, backing indices by their stream', () => {
    const known = ['.ds-logs-a-default-2024.05.01-000001', '.ds-logs-b-default-2024.05.01-000001', 'metrics-x'];
    expect(resolveIndices(['logs-*'], known).matched).toEqual(['.ds-logs-a-default-2024.05.01-000001', '.ds-logs-b-default-2024.05.01-000001']);
    expect(resolveIndices(['logs-*,-logs-b*'], known).matched).toEqual(['.ds-logs-a-default-2024.05.01-000001']);
  });
});
