import { existsSync, statSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { loadConfig } from '../../config.ts';
import { HarnessError } from '../../core/diagnostics.ts';
import type { Detector } from '../../core/detector.ts';
import { scaffoldRule, type ScaffoldMode } from '../../generator/scaffold-rule.ts';
import { mirroredScenarioPath } from '../../project/load-project.ts';
import { CrossFireIndex } from '../../runner/crossfire-index.ts';
import { EXIT, UsageError, type Command, type CommandArgs, type Io } from '../command.ts';
import { isGlob } from '../glob.ts';
import { loadDetectors } from '../load-detectors.ts';
import { runBulkScaffold } from './scaffold-bulk.ts';
import { scaffoldFromRecording } from './scaffold-from.ts';

const usage = `Usage: rule-harness scaffold <rule file | rule id> [--force | --missing] [--out <file>] [--rules <dir>] [--seed <n>]
       rule-harness scaffold <file | folder | 'glob'>… [--force | --missing] [--rules <dir>] [--scenarios <dir>]
       rule-harness scaffold --all-missing [--rules <dir>] [--scenarios <dir>]
       rule-harness scaffold <rule file | rule id> --from <recording> [--append | --force] [--out <file>]

Draft a scenario file for a rule from its own logic: one positive per
top-level branch, one near-miss negative per constraint of the first branch,
with realistic noise fields and a comment on each case naming what it
covers. Written to the mirrored path under scenarios/ (or --out). Cases the
engine disagrees with are left out and listed; other rules that also fire on
a case are declared in also_fires. Review the draft before committing it.

Given folders, globs (quote them: 'rules/sigma/**/proc_creation_*.yml'),
several rules, or --all-missing, every rule is drafted in one process with a
progress bar and a summary at the end (written, kept, not drafted and not
evaluable, each with its reason). Existing scenario files are kept then
(re-runs change nothing) unless --force or --missing.

  --all-missing     every rule file under --rules without a scenario
  --force           overwrite an existing scenario file
  --missing         keep an existing scenario file and add positives only for the
                    branches none of its positive cases exercises
  --out <file>      (one rule) write here instead of the mirrored path
  --rules <dir>     where the rules are (default rules)
  --scenarios <dir> where the scenarios go in bulk (default scenarios)
  --seed <n>        seed for the realistic values (default 1)
  --from <file>     (one rule) draft the cases from a recording instead (.evtx, JSON
                    Lines or JSON): the events the rule fires on become positives
                    (trimmed to the fields it reads plus EventID, Channel, Computer,
                    time), near misses are derived from them, and the closest events
                    it does not fire on become negatives; each case names its record
  --append          with --from: add the recorded cases to the existing scenario`;

const SCHEMA = 'harness/scenarios/scenario.schema.json';

function pickRule(detectors: readonly Detector[], target: string, fromFile: boolean): Detector | undefined {
  if (!fromFile) return detectors.find((d) => d.rule.id === target || d.rule.name === target);
  const want = relative('.', resolve(target)).split('\\').join('/');
  const inFile = detectors.filter((d) => d.rule.source.file === want || resolve(d.rule.source.file) === resolve(target));
  // A multi-document file (a correlation with its base rules): the correlation is what the scenario tests.
  return inFile.find((d) => d.rule.kind === 'correlation') ?? inFile[0];
}

/** One rule file or id, without --all-missing: the single-rule form (its own messages, exit 2 when nothing is written). */
function isSingle(positionals: readonly string[], allMissing: boolean): boolean {
  if (allMissing || positionals.length !== 1) return false;
  const [t] = positionals as [string];
  return existsSync(t) ? statSync(t).isFile() : !isGlob(t);
}

function modeOf(values: CommandArgs['values']): ScaffoldMode {
  if (values.force && values.missing) throw new UsageError(`--force and --missing exclude each other\n\n${usage}`);
  return values.force ? 'force' : values.missing ? 'missing' : 'create';
}

function scaffoldOne(target: string, values: CommandArgs['values'], seed: number, io: Io): number {
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
  const config = loadConfig();
  const cross = new CrossFireIndex(loaded.alerting);
  const r = scaffoldRule(detector, out, modeOf(values), { cross, seed, schema: SCHEMA, ...(config.sigma.timestampFields ? { timestampFields: config.sigma.timestampFields } : {}) });
  switch (r.kind) {
    case 'kept':
      if (values.missing) {
        io.out(`${out}: ${r.reason} — nothing added`);
        return EXIT.ok;
      }
      io.err(`${out} already exists — not overwritten (use --force to replace it)`);
      return EXIT.badInput;
    case 'not-drafted':
      io.err(`${rule.source.file}: ${r.reason}${r.notes.length ? `:\n  ${r.notes.join('\n  ')}` : ''}`);
      return EXIT.badInput;
    case 'written':
      if (r.action === 'appended') io.out(`added ${r.positives} positive case${r.positives === 1 ? '' : 's'} to ${out}: ${r.caseNames.join('; ')}`);
      else io.out(`wrote ${out}: ${r.positives} positive, ${r.negatives} negative case${r.negatives === 1 ? '' : 's'} for '${rule.title}'`);
      for (const n of r.notes) io.err(`note: ${n}`);
      return EXIT.ok;
  }
}

export const scaffoldCommand: Command = {
  name: 'scaffold',
  summary: "draft scenario files from rules' logic (positives, near misses), one rule or a whole repository",
  usage,
  options: {
    force: { type: 'boolean', default: false },
    missing: { type: 'boolean', default: false },
    'all-missing': { type: 'boolean', default: false },
    out: { type: 'string' },
    rules: { type: 'string', default: 'rules' },
    scenarios: { type: 'string', default: 'scenarios' },
    seed: { type: 'string' },
    from: { type: 'string' },
    append: { type: 'boolean', default: false },
  },
  run({ values, positionals }, io) {
    const allMissing = Boolean(values['all-missing']);
    if (positionals.length === 0 && !allMissing) throw new UsageError(usage);
    if (allMissing && positionals.length > 0) throw new UsageError(`--all-missing takes no rule arguments\n\n${usage}`);
    if (values.seed !== undefined && !/^\d+$/.test(String(values.seed))) throw new UsageError(`--seed must be a non-negative integer\n\n${usage}`);
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (isSingle(positionals, allMissing)) return scaffoldOne(positionals[0]!, values, seed, io);
    if (values.out !== undefined) throw new UsageError(`--out names one file: give one rule with it\n\n${usage}`);
    if (values.from !== undefined) throw new UsageError(`--from drafts one rule from a recording: give one rule with it\n\n${usage}`);
    return runBulkScaffold({ targets: positionals, allMissing, mode: modeOf(values), rulesDir: String(values.rules), scenariosDir: String(values.scenarios), seed, schema: SCHEMA }, io);
  },
};
