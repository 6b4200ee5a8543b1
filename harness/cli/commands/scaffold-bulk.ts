import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { loadConfig } from '../../config.ts';
import type { Detector } from '../../core/detector.ts';
import { compileRuleSet } from '../../engines/registry.ts';
import { scaffoldRule, type ScaffoldMode, type ScaffoldOutcome } from '../../generator/scaffold-rule.ts';
import { discoverRuleFiles, portablePath } from '../../rules/discover.ts';
import { loadRules } from '../../rules/load.ts';
import { CrossFireIndex } from '../../runner/crossfire-index.ts';
import { loadScenarios } from '../../scenarios/load.ts';
import { EXIT, type Io } from '../command.ts';
import { globToRegExp, isGlob } from '../glob.ts';
import { createProgress, type ProgressStream } from '../progress.ts';

/**
 * `scaffold` over many rules in one process: every rule file the targets name
 * (files, folders, quoted globs, rule ids, or `--all-missing`) gets its
 * mirrored scenario drafted; rules are loaded, compiled and indexed once.
 * Existing files are kept unless --force / --missing, so re-runs are
 * idempotent. Ends with a summary: what was drafted, what was kept, and every
 * rule left out or not evaluable, with its reason.
 */
export interface BulkOptions {
  readonly targets: readonly string[];
  readonly allMissing: boolean;
  readonly mode: ScaffoldMode;
  readonly rulesDir: string;
  readonly scenariosDir: string;
  readonly seed: number;
  readonly schema: string;
  readonly progress?: ProgressStream;
}

/** A rule file and the rule its scenario tests (a correlation rather than its base rules). */
interface Target {
  readonly file: string;
  readonly owner?: Detector;
  /** Why the file has no evaluable rule. */
  readonly reason?: string;
}

/** `<rules>/a/b.toml` → `<scenarios>/a/b.yml` (with the default folders: mirroredScenarioPath); undefined outside `<rules>`. */
export function scenarioPathFor(file: string, rulesDir: string, scenariosDir: string): string | undefined {
  const rel = relative(resolve(rulesDir), resolve(file));
  if (rel === '' || rel.startsWith('..')) return undefined;
  return portablePath(resolve(join(scenariosDir, rel.split(sep).join('/').replace(/\.(toml|yaml)$/i, '.yml'))));
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The rule files the targets name, in the rule set's order; unmatched targets are returned too. */
function selectFiles(targets: readonly string[], files: readonly string[], detectors: readonly Detector[]): { files: Set<string>; unmatched: string[] } {
  const out = new Set<string>();
  const unmatched: string[] = [];
  for (const t of targets) {
    const before = out.size;
    let matched: readonly string[];
    if (existsSync(t)) {
      const p = portablePath(resolve(t));
      matched = statSync(t).isDirectory() ? files.filter((f) => f.startsWith(`${p}/`) || p === '') : files.filter((f) => f === p);
    } else if (isGlob(t)) {
      const re = globToRegExp(portablePath(resolve(t)));
      matched = files.filter((f) => re.test(f));
    } else matched = detectors.filter((d) => d.rule.id === t || d.rule.name === t).map((d) => d.rule.source.file);
    for (const f of matched) out.add(f);
    if (out.size === before && matched.length === 0) unmatched.push(t);
  }
  return { files: out, unmatched };
}

export async function runBulkScaffold(o: BulkOptions, io: Io): Promise<number> {
  const started = Date.now();
  const config = loadConfig();
  const set = loadRules(o.rulesDir);
  const compiled = compileRuleSet(set, config);
  const detectors = [...compiled.detectors.values()];
  const files = discoverRuleFiles(o.rulesDir).map((f) => portablePath(resolve(f)));
  const byFile = new Map<string, Detector[]>();
  for (const d of detectors) byFile.set(d.rule.source.file, [...(byFile.get(d.rule.source.file) ?? []), d]);

  const outFor = (file: string): string | undefined => scenarioPathFor(file, o.rulesDir, o.scenariosDir);
  const { files: chosen, unmatched } = o.allMissing ? { files: new Set(filesWithoutScenario(files, set.rules, o.scenariosDir, outFor)), unmatched: [] } : selectFiles(o.targets, files, detectors);
  if (unmatched.length > 0) {
    io.err(`no rule file under ${o.rulesDir} matches: ${unmatched.join(', ')}`);
    return EXIT.badInput;
  }
  const whyNot = new Map<string, string>();
  for (const n of compiled.notEvaluable) if (!byFile.has(n.rule.source.file)) whyNot.set(n.rule.source.file, n.reason);
  for (const d of [...set.diagnostics, ...compiled.diagnostics]) if (d.severity === 'error' && d.span && !byFile.has(d.span.file) && !whyNot.has(d.span.file)) whyNot.set(d.span.file, `line ${d.span.line}: ${d.message}`);
  const targets: Target[] = [...chosen].map((file) => {
    const inFile = byFile.get(file);
    // A multi-document file (a correlation with its base rules): the correlation is what the scenario tests.
    const owner = inFile?.find((d) => d.rule.kind === 'correlation') ?? inFile?.[0];
    return owner ? { file, owner } : { file, reason: whyNot.get(file) ?? 'no evaluable rule in the file' };
  });

  const cross = new CrossFireIndex(detectors, compiled.silentBases);
  const ctx = { cross, seed: o.seed, schema: o.schema, ...(config.sigma.timestampFields ? { timestampFields: config.sigma.timestampFields } : {}) };
  const progress = createProgress('rules', targets.length, o.progress);
  const results: { target: Target; outcome?: ScaffoldOutcome }[] = [];
  for (const [i, target] of targets.entries()) {
    const out = outFor(target.file);
    const outcome = target.owner && out ? scaffoldRule(target.owner, out, o.mode, ctx) : undefined;
    results.push({ target, ...(outcome ? { outcome } : {}) });
    progress.tick(i + 1, target.file);
    // Let signal handlers run (Ctrl-C removes a half-written temp file and stops; atomic-write.ts).
    if (i % 20 === 19) await new Promise((r) => setImmediate(r));
  }
  progress.finish();
  printSummary(results, o.rulesDir, (Date.now() - started) / 1000, io);
  return EXIT.ok;
}

/** Rule files none of whose rules a scenario file names (and with nothing at the mirrored path). */
function filesWithoutScenario(files: readonly string[], rules: readonly { id: string; source: { file: string } }[], scenariosDir: string, outFor: (file: string) => string | undefined): string[] {
  const tested = new Set(loadScenarios(scenariosDir).scenarios.map((s) => s.rule));
  const covered = new Set(rules.filter((r) => tested.has(r.id)).map((r) => r.source.file));
  return files.filter((f) => {
    const out = outFor(f);
    return !covered.has(f) && !(out !== undefined && existsSync(out));
  });
}

function printSummary(results: readonly { target: Target; outcome?: ScaffoldOutcome }[], rulesDir: string, seconds: number, io: Io): void {
  let positives = 0;
  let negatives = 0;
  const actions = { created: 0, replaced: 0, appended: 0 };
  const kept: string[] = [];
  const notDrafted: string[] = [];
  const notEvaluable: string[] = [];
  const outside: string[] = [];
  const leftOut: string[] = [];
  for (const { target, outcome } of results) {
    if (!target.owner) {
      notEvaluable.push(`${target.file}: ${target.reason}`);
      continue;
    }
    if (!outcome) {
      outside.push(target.file);
      continue;
    }
    switch (outcome.kind) {
      case 'written':
        actions[outcome.action]++;
        positives += outcome.positives;
        negatives += outcome.negatives;
        for (const n of outcome.notes) leftOut.push(`${outcome.file}: ${n}`);
        break;
      case 'kept':
        kept.push(`${outcome.file}: ${outcome.reason}`);
        break;
      case 'not-drafted':
        notDrafted.push(`${target.file}: ${outcome.reason}${outcome.notes.length ? `\n      ${outcome.notes.join('\n      ')}` : ''}`);
        break;
    }
  }
  const written = actions.created + actions.replaced + actions.appended;
  const section = (title: string, lines: readonly string[]): void => {
    if (lines.length > 0) io.err(`${title} (${lines.length}):\n  ${lines.join('\n  ')}`);
  };
  section('not drafted', notDrafted);
  section('not evaluable', notEvaluable);
  section(`not under ${rulesDir} (no mirrored scenario path; scaffold them one by one with --out)`, outside);
  section('left out of the drafts (also a NOTE at the top of each file)', leftOut);
  const parts = [
    `${plural(results.length, 'rule file')} from ${rulesDir}`,
    `${plural(written, 'scenario')} written (${actions.created} new, ${actions.replaced} replaced, ${actions.appended} extended; ${plural(positives + negatives, 'case')}: ${positives} positive, ${negatives} negative)`,
    `${kept.length} kept (existing; --force replaces, --missing extends)`,
    `${notDrafted.length} not drafted`,
    `${notEvaluable.length} not evaluable`,
    ...(outside.length ? [`${outside.length} outside ${rulesDir}`] : []),
  ];
  io.out(`scaffold: ${parts.join(' · ')} · ${seconds.toFixed(1)} s`);
}
