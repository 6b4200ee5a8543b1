import { execFileSync } from 'node:child_process';
import type { Rule } from '../core/rule.ts';
import type { Scenario } from '../scenarios/model.ts';

/**
 * What a change touched, as tests to run: rule and scenario files are data,
 * so a changed data file maps to the rules it defines or tests; any other
 * change (harness code, dependencies, config) means the full suite.
 */
export type ChangeScope =
  | { readonly kind: 'full'; readonly reason: string }
  | { readonly kind: 'rules'; readonly ruleIds: readonly string[]; readonly files: readonly string[] };

const DATA = /^(rules|scenarios)\/.*\.(ya?ml|toml)$/i;
const IGNORED = /^(reports|generated)\/|\.md$/i;

export function changeScope(changed: readonly string[], rules: readonly Rule[], scenarios: readonly Scenario[]): ChangeScope {
  const relevant = changed.filter((f) => !IGNORED.test(f));
  const code = relevant.find((f) => !DATA.test(f));
  if (code) return { kind: 'full', reason: `${code} changed` };
  const ids = new Set<string>();
  for (const f of relevant) {
    for (const r of rules) if (r.source.file === f) ids.add(r.id);
    for (const s of scenarios) if (s.file === f) ids.add(s.rule);
  }
  return { kind: 'rules', ruleIds: [...ids].sort(), files: relevant };
}

/** Files changed since `ref` (committed, staged or not) plus untracked ones, relative to the repository root. */
export function gitChangedFiles(ref: string, cwd = process.cwd()): string[] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).split('\n').filter(Boolean);
  return [...new Set([...git('diff', '--name-only', ref, '--'), ...git('ls-files', '--others', '--exclude-standard')])].sort();
}
