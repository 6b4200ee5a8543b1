/**
 * Test helpers: compile a rule (YAML) under a pipeline given as YAML text, so
 * tests read as pipeline + rule → mapped rule / verdicts.
 */
import { load } from 'js-yaml';
import type { Detector } from '../../../core/detector.ts';
import { compileSigmaRule, pipelineMappingOf } from '../index.ts';
import { ruleOf } from '../testing.ts';
import { composePipelines } from './apply.ts';
import { parsePipeline } from './load.ts';

export function underPipeline(pipelineYaml: string | readonly string[], ruleYaml: string, placeholders: Record<string, string[]> = {}): Detector {
  const texts = typeof pipelineYaml === 'string' ? [pipelineYaml] : pipelineYaml;
  const pipeline = composePipelines(texts.map((t, i) => parsePipeline(`p${i}.yml`, t)));
  const body = load(ruleYaml) as Record<string, unknown>;
  const tags = Array.isArray(body.tags) ? (body.tags as string[]) : [];
  return compileSigmaRule(ruleOf(body, { tags }), [], { placeholders, pipeline });
}

/** The mapped rule's notes and conditions, and its predicate as compact JSON. */
export function mappedOf(d: Detector): { notes: readonly string[]; conditions: readonly string[]; logsource: unknown } {
  const m = pipelineMappingOf(d);
  if (!m) throw new Error('the detector has no pipeline mapping');
  return { notes: m.notes, conditions: m.conditions, logsource: m.logsource };
}

/** Field names of the predicate's leaves, in order. */
export function fieldsOf(d: Detector): string[] {
  const out: string[] = [];
  const visit = (p: unknown): void => {
    if (typeof p !== 'object' || p === null) return;
    const r = p as Record<string, unknown>;
    if (typeof r.field === 'string') out.push(r.field);
    for (const v of Object.values(r)) if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object') visit(v);
  };
  visit(d.constraints().logic);
  return out;
}

/** The predicate's leaves (match, regex, equals, …), in order. */
export function leavesOf(d: Detector): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (p: Record<string, unknown>): void => {
    if (Array.isArray(p.children)) (p.children as Record<string, unknown>[]).forEach(visit);
    else if (typeof p.child === 'object' && p.child !== null) visit(p.child as Record<string, unknown>);
    else out.push(p);
  };
  visit(d.constraints().logic as unknown as Record<string, unknown>);
  return out;
}
