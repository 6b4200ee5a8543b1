/** review shows the rule under each pipeline its scenarios run under, with the cases on translated events. */
import { describe, expect, test } from 'vitest';
import { loadProject } from '../project/load-project.ts';
import { renderReview } from './render-review.ts';
import { findRule, reviewRule } from './review.ts';

describe('review under pipelines', () => {
  test('the shipped whoami scenario runs under ecs_windows and sysmon', () => {
    const project = loadProject();
    const rule = findRule(project, 'rules/sigma/windows/process_creation/proc_creation_win_whoami_all_execution.yml')!;
    const review = reviewRule(project, rule, { mutate: false, pipelines: ['windows-audit'] });
    expect(review.pipelines.map((p) => p.pipeline)).toEqual(['windows-audit', 'ecs_windows', 'sysmon']);
    const ecs = review.pipelines[1]!;
    expect(ecs.mapping).toContain('Image → process.executable');
    expect(ecs.cases.length).toBeGreaterThan(0);
    expect(ecs.cases.every((c) => c.outcome === 'pass')).toBe(true);
    expect(review.pipelines[0]!.cases).toEqual([]); // named on the command line only: mapping, no scenario runs
    expect(renderReview(review, 'text')).toContain('== Under pipeline sysmon ==');
  });
});
