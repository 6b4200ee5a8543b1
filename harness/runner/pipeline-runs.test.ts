/** Which pipelines a scenario runs under, its events per pipeline, and unknown pipeline names as project diagnostics. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadProject } from '../project/load-project.ts';
import { PipelineRuns } from './pipeline-runs.ts';

function project(config: string, scenario: string) {
  const root = mkdtempSync(join(tmpdir(), 'rh-runs-'));
  mkdirSync(join(root, 'rules/sigma'), { recursive: true });
  mkdirSync(join(root, 'scenarios/sigma'), { recursive: true });
  writeFileSync(join(root, 'harness.config.yml'), config);
  writeFileSync(join(root, 'rules/sigma/r.yml'), `title: r\nid: 00000000-0000-4000-8000-0000000000b1\nlogsource: { product: windows, category: process_creation }\ndetection: { sel: { Image|endswith: '\\\\x.exe' }, condition: sel }\n`);
  writeFileSync(join(root, 'scenarios/sigma/r.yml'), `rule: 00000000-0000-4000-8000-0000000000b1\n${scenario}cases:\n  - name: c\n    expect: alert\n    events: [{ Image: 'C:\\x.exe' }]\n    events_for: { sysmon: [{ Image: 'C:\\x.exe', EventID: 1 }] }\n`);
  return loadProject({ root });
}

describe('pipeline runs', () => {
  test('a scenario key wins over harness.config.yml, which wins over none', () => {
    const cfg = 'pipelines:\n  - rules: rules/sigma/\n    use: [ecs_windows]\n';
    const byConfig = project(cfg, '');
    const runs = new PipelineRuns(byConfig);
    const rule = byConfig.rules.rules[0]!;
    expect(runs.pipelinesOf(rule, byConfig.scenarios[0]!)).toEqual(['ecs_windows']);
    expect(runs.runsWithoutPipeline(rule, byConfig.scenarios[0]!)).toBe(false);
    const byScenario = project(cfg, 'pipelines: [none, sysmon]\n');
    expect(new PipelineRuns(byScenario).pipelinesOf(byScenario.rules.rules[0]!, byScenario.scenarios[0]!)).toEqual(['none', 'sysmon']);
    const plain = project('sigma: {}\n', '');
    expect(new PipelineRuns(plain).pipelinesOf(plain.rules.rules[0]!, plain.scenarios[0]!)).toEqual(['none']);
  });
  test('events are translated, or taken from events_for', () => {
    const p = project('sigma: {}\n', 'pipelines: [ecs_windows, sysmon]\n');
    const runs = new PipelineRuns(p);
    const [rule, c] = [p.rules.rules[0]!, p.scenarios[0]!.cases[0]!];
    expect(runs.caseUnder('ecs_windows', rule, c).case.events).toEqual([{ process: { executable: 'C:\\x.exe' } }]);
    expect(runs.caseUnder('sysmon', rule, c).case.events).toEqual([{ Image: 'C:\\x.exe', EventID: 1 }]);
    expect(runs.compiled('ecs_windows').detectors.get(rule.id)!.matches({ process: { executable: 'C:\\x.exe' } })).toBe(true);
  });
  test('an unknown pipeline name is a project diagnostic with a suggestion', () => {
    const p = project('pipelines:\n  - use: [sysmn]\n', 'pipeline: ecs_window\n');
    expect(p.diagnostics.map((d) => `${d.span?.file}: ${d.message}`)).toEqual([
      expect.stringMatching(/^scenarios\/sigma\/r.yml: unknown pipeline 'ecs_window'.*did you mean 'ecs_windows'/),
      expect.stringMatching(/^harness.config.yml: unknown pipeline 'sysmn'.*did you mean 'sysmon'/),
    ]);
  });
});
