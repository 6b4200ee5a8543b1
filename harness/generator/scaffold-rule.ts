import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.ts';
import type { Detector } from '../core/detector.ts';
import type { CrossFireIndex } from '../runner/crossfire-index.ts';
import { satisfies } from '../runner/verdict.ts';
import { loadScenarioText } from '../scenarios/load.ts';
import { appendDraftCases, draftScenario, missingBranchCases, renderDraft, type Draft, type DraftCase } from './scaffold.ts';

/**
 * Scaffolding one rule's scenario file, the same for `scaffold <rule>` and the
 * bulk form: draft, let the engine check the draft (it never decides the
 * expectations: cases it disagrees with are left out and named), declare the
 * other rules that alert on each case (through the cross-fire index, not a
 * loop over every rule), and write the file atomically.
 */
export type ScaffoldMode =
  /** Write only when the file does not exist. */
  | 'create'
  /** Replace an existing file. */
  | 'force'
  /** Keep an existing file and add positives for the branches none of its positive cases exercises. */
  | 'missing';

export type ScaffoldOutcome =
  | { readonly kind: 'written'; readonly file: string; readonly action: 'created' | 'replaced' | 'appended'; readonly positives: number; readonly negatives: number; readonly caseNames: readonly string[]; readonly notes: readonly string[] }
  /** Nothing written: the file exists (create), or every branch already has a positive (missing). */
  | { readonly kind: 'kept'; readonly file: string; readonly reason: string }
  /** Nothing could be drafted (an unsupported rule kind, or the engine disagreed with every case). */
  | { readonly kind: 'not-drafted'; readonly file: string; readonly reason: string; readonly notes: readonly string[] };

export interface ScaffoldContext {
  readonly cross: CrossFireIndex;
  readonly seed: number;
  readonly timestampFields?: readonly string[];
  /** Path of the scenario JSON Schema, for the `$schema` comment line. */
  readonly schema: string;
}

/** The draft's cases the engine agrees with, each with the other rules that alert on it. */
function checkDraft(detector: Detector, draft: Draft, cross: CrossFireIndex): { cases: DraftCase[]; notes: string[] } {
  const notes = [...draft.notes];
  const cases: DraftCase[] = [];
  for (const c of draft.cases) {
    const ctx = { history: c.history ?? [], indicators: [] };
    let alerts;
    try {
      alerts = detector.detect(c.events, ctx);
    } catch (e) {
      notes.push(`left out case '${c.name}': the engine failed on it (${(e as Error).message}) — write this case by hand`);
      continue;
    }
    if (!satisfies(c.expect, alerts)) {
      notes.push(`left out case '${c.name}': the generator expected ${c.expect.kind === 'none' ? 'no alert' : 'an alert'}, the engine gave ${alerts.length} — check the rule or write this case by hand`);
      continue;
    }
    const also = cross.firing(detector.rule, c.events, ctx).map((f) => f.detector.rule.id);
    cases.push(also.length ? { ...c, alsoFires: also } : c);
  }
  return { cases, notes };
}

export function scaffoldRule(detector: Detector, out: string, mode: ScaffoldMode, ctx: ScaffoldContext): ScaffoldOutcome {
  const rule = detector.rule;
  const exists = existsSync(out);
  if (exists && mode === 'create') return { kind: 'kept', file: out, reason: 'already exists' };
  const draft = draftScenario(detector, { seed: ctx.seed, ...(ctx.timestampFields ? { timestampFields: ctx.timestampFields } : {}) });
  if (draft.unsupported) return { kind: 'not-drafted', file: out, reason: `cannot scaffold a ${rule.kind} rule: ${draft.unsupported}`, notes: [] };
  const { cases, notes } = checkDraft(detector, draft, ctx.cross);
  if (cases.length === 0) return { kind: 'not-drafted', file: out, reason: 'nothing could be drafted', notes: notes.length ? notes : ['no case'] };
  const checked = { ...draft, cases, notes };
  if (exists && mode === 'missing') return appendMissing(detector, out, checked);
  writeFileAtomic(out, renderDraft({ id: rule.id, title: rule.title, file: rule.source.file }, out, ctx.schema, checked));
  const positives = cases.filter((c) => c.role === 'positive').length;
  return { kind: 'written', file: out, action: exists ? 'replaced' : 'created', positives, negatives: cases.length - positives, caseNames: cases.map((c) => c.name), notes };
}

/** `missing`: add positives for uncovered branches to the existing file, keeping its text. */
function appendMissing(detector: Detector, out: string, draft: Draft): ScaffoldOutcome {
  const text = readFileSync(out, 'utf8');
  const loaded = loadScenarioText(out, text);
  if (!loaded.scenario) return { kind: 'not-drafted', file: out, reason: `the existing file does not load: ${loaded.diagnostics.map((d) => `${d.span ? `line ${d.span.line}: ` : ''}${d.message}`).join('; ')}`, notes: [] };
  const positives = loaded.scenario.cases.filter((c) => c.expect.kind !== 'none').flatMap((c) => c.events);
  const add = missingBranchCases(detector, draft, positives);
  if (add.length === 0) return { kind: 'kept', file: out, reason: 'every branch already has a positive case' };
  writeFileAtomic(out, appendDraftCases(text, add));
  return { kind: 'written', file: out, action: 'appended', positives: add.length, negatives: 0, caseNames: add.map((c) => c.name), notes: [] };
}
