import { existsSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { loadConfig } from '../../config.ts';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { HarnessError } from '../../core/diagnostics.ts';
import type { Detector } from '../../core/detector.ts';
import { appendDraftCases, draftScenario, missingBranchCases, renderDraft, type Draft, type DraftCase } from '../../generator/scaffold.ts';
import { loadScenarioText } from '../../scenarios/load.ts';
import { readFileSync } from 'node:fs';
import { mirroredScenarioPath } from '../../project/load-project.ts';
import { rulesShareEvents } from '../../runner/logsource.ts';
import { satisfies } from '../../runner/verdict.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { loadDetectors } from '../load-detectors.ts';
import { scaffoldFromRecording } from './scaffold-from.ts';

const usage = `Usage: rule-harness scaffold <rule file | rule id> [--force | --missing] [--out <file>] [--rules <dir>] [--seed <n>]
       rule-harness scaffold <rule file | rule id> --from <recording> [--append | --force] [--out <file>]

Draft a scenario file for a rule from its own logic: one positive per
top-level branch, one near-miss negative per constraint of the first branch,
with realistic noise fields and a comment on each case naming what it
covers. Written to the mirrored path under scenarios/ (or --out). Cases the
engine disagrees with are left out and listed; other rules that also fire on
a case are declared in also_fires. Review the draft before committing it.

  --force       overwrite an existing scenario file
  --missing     keep an existing scenario file and add positives only for the
                branches none of its positive cases exercises
  --out <file>  write here instead of the mirrored path
  --seed <n>    seed for the realistic values (default 1)
  --from <file> draft the cases from a recording instead (.evtx, JSON Lines or
                JSON): the events the rule fires on become positives (trimmed
                to the fields it reads plus EventID, Channel, Computer, time),
                near misses are derived from them, and the closest events it
                does not fire on become negatives; each case names its record
  --append      with --from: add the recorded cases to the existing scenario`;

const SCHEMA = 'harness/scenarios/scenario.schema.json';

function pickRule(detectors: readonly Detector[], target: string, fromFile: boolean): Detector | undefined {
  if (!fromFile) return detectors.find((d) => d.rule.id === target || d.rule.name === target);
  const want = relative('.', resolve(target)).split('\\').join('/');
  const inFile = detectors.filter((d) => d.rule.source.file === want || resolve(d.rule.source.file) === resolve(target));
  // A multi-document file (a correlation with its base rules): the correlation is what the scenario tests.
  return inFile.find((d) => d.rule.kind === 'correlation') ?? inFile[0];
}

/** `--missing`: add positives for uncovered branches to the existing file. */
function appendMissing(detector: Detector, out: string, draft: Draft, io: { out(t: string): void; err(t: string): void }): number {
  const text = readFileSync(out, 'utf8');
  const loaded = loadScenarioText(out, text);
  if (!loaded.scenario) throw new HarnessError([...loaded.diagnostics]);
  const positives = loaded.scenario.cases.filter((c) => c.expect.kind !== 'none').flatMap((c) => c.events);
  const add = missingBranchCases(detector, draft, positives);
  if (add.length === 0) {
    io.out(`${out}: every branch already has a positive case — nothing added`);
    return EXIT.ok;
  }
  writeFileAtomic(out, appendDraftCases(text, add));
  io.out(`added ${add.length} positive case${add.length === 1 ? '' : 's'} to ${out}: ${add.map((c) => c.name).join('; ')}`);
  return EXIT.ok;
}

export const scaffoldCommand: Command = {
  name: 'scaffold',
  summary: "draft a scenario file from a rule's logic (positives, near misses)",
  usage,
  options: { force: { type: 'boolean', default: false }, missing: { type: 'boolean', default: false }, out: { type: 'string' }, rules: { type: 'string', default: 'rules' }, seed: { type: 'string' }, from: { type: 'string' }, append: { type: 'boolean', default: false } },
  run({ values, positionals }, io) {
    const [target] = positionals;
    if (!target || positionals.length > 1) throw new UsageError(usage);
    if (values.seed !== undefined && !/^\d+$/.test(String(values.seed))) throw new UsageError(`--seed must be a non-negative integer\n\n${usage}`);
    const rulesDir = String(values.rules);
    const fromFile = existsSync(target);
    const insideRules = fromFile && !relative(resolve(rulesDir), resolve(target)).startsWith('..');
    const loaded = loadDetectors(fromFile && !insideRules ? target : rulesDir);
    const detector = pickRule(loaded.detectors, target, fromFile);
    if (!detector) {
      const why = loaded.diagnostics.find((d) => d.ruleId === target || d.span?.file === relative('.', resolve(target)).split('\\').join('/'))?.message;
      throw new HarnessError([{ code: 'cli/unknown-rule', severity: 'error', message: why ? `rule ${target} does not compile: ${why}` : `no evaluable rule '${target}'${fromFile ? '' : ` under ${rulesDir}`}` }]);
    }
    const rule = detector.rule;
    const out = typeof values.out === 'string' ? values.out : rule.source.file.startsWith('rules/') ? mirroredScenarioPath(rule.source.file) : undefined;
    if (!out) throw new UsageError(`${rule.source.file} is not under rules/: say where the scenario goes with --out <file>`);
    if (typeof values.from === 'string') return scaffoldFromRecording({ detector, alerting: loaded.alerting, recording: values.from, out, schema: SCHEMA, append: Boolean(values.append), force: Boolean(values.force) }, io);
    if (values.append) throw new UsageError(`--append goes with --from <recording>\n\n${usage}`);
    const missing = Boolean(values.missing) && existsSync(out);
    if (existsSync(out) && !values.force && !missing) {
      io.err(`${out} already exists — not overwritten (use --force to replace it)`);
      return EXIT.badInput;
    }
    const config = loadConfig();
    const draft = draftScenario(detector, { seed: values.seed === undefined ? 1 : Number(values.seed), ...(config.sigma.timestampFields ? { timestampFields: config.sigma.timestampFields } : {}) });
    if (draft.unsupported) {
      io.err(`${rule.source.file}: cannot scaffold a ${rule.kind} rule: ${draft.unsupported}`);
      return EXIT.badInput;
    }
    // The engine checks the draft (it never decides the expectations): disagreements are left out and reported.
    const notes = [...draft.notes];
    const others = loaded.alerting.filter((d) => d.rule.id !== rule.id && rulesShareEvents(rule, d.rule));
    const cases: DraftCase[] = [];
    for (const c of draft.cases) {
      const ctx = { history: c.history ?? [], indicators: [] };
      const alerts = detector.detect(c.events, ctx);
      if (!satisfies(c.expect, alerts)) {
        notes.push(`left out case '${c.name}': the generator expected ${c.expect.kind === 'none' ? 'no alert' : 'an alert'}, the engine gave ${alerts.length} — check the rule or write this case by hand`);
        continue;
      }
      const also = others.filter((d) => d.detect(c.events, ctx).length > 0).map((d) => d.rule.id);
      cases.push(also.length ? { ...c, alsoFires: also } : c);
    }
    if (cases.length === 0) {
      io.err(`${rule.source.file}: nothing could be drafted:\n  ${notes.join('\n  ') || 'no case'}`);
      return EXIT.badInput;
    }
    if (missing) return appendMissing(detector, out, { ...draft, cases, notes }, io);
    const text = renderDraft({ id: rule.id, title: rule.title, file: rule.source.file }, out, SCHEMA, { ...draft, cases, notes });
    writeFileAtomic(out, text);
    const pos = cases.filter((c) => c.role === 'positive').length;
    io.out(`wrote ${out}: ${pos} positive, ${cases.length - pos} negative case${cases.length - pos === 1 ? '' : 's'} for '${rule.title}'`);
    for (const n of notes) io.err(`note: ${n}`);
    return EXIT.ok;
  },
};
