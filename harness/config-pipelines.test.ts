/** harness.config.yml `pipelines:` — which pipelines a rule's scenarios run under, and located errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { configuredPipelines, loadConfig } from './config.ts';

function configOf(text: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'rh-config-')), 'harness.config.yml');
  writeFileSync(file, text);
  return () => loadConfig(file);
}

describe('pipelines section', () => {
  const config = configOf(`pipelines:
  - rules: rules/sigma/windows/builtin/
    logsource: { service: security }
    use: [none, ecs_windows]
  - logsource: { product: windows }
    use: sysmon
`)();
  test('first matching entry by folder and logsource', () => {
    expect(configuredPipelines(config, 'rules/sigma/windows/builtin/a.yml', { product: 'windows', service: 'security' })).toEqual(['none', 'ecs_windows']);
    expect(configuredPipelines(config, 'rules/sigma/windows/builtin/a.yml', { product: 'windows', service: 'system' })).toEqual(['sysmon']);
    expect(configuredPipelines(config, 'rules/sigma/windows/builtinx/a.yml', { product: 'windows', service: 'security' })).toEqual(['sysmon']);
    expect(configuredPipelines(config, 'rules/sigma/linux/a.yml', { product: 'linux' })).toBeUndefined();
  });
  test.each([
    ['pipelines: {}\n', /harness.config.yml:1:\d+: error: pipelines must be a list/],
    ['pipelines:\n  - use: []\n', /harness.config.yml:2:\d+: error: use must name one or more pipelines/],
    ['pipelines:\n  - use: [sysmon]\n    rule: x\n', /harness.config.yml:3:\d+: error: unknown key 'rule' in pipelines entry/],
    ['pipelines:\n  - use: [sysmon]\n    logsource: { os: windows }\n', /harness.config.yml:3:\d+: error: logsource must be a mapping/],
  ])('%j is a located error', (text, message) => {
    expect(configOf(text)).toThrow(message);
  });
});
