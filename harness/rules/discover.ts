import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export type RuleFileKind = 'sigma' | 'elastic';

const KIND_BY_EXT: Readonly<Record<string, RuleFileKind>> = { '.yml': 'sigma', '.yaml': 'sigma', '.toml': 'elastic' };

export function ruleFileKind(file: string): RuleFileKind | undefined {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? undefined : KIND_BY_EXT[file.slice(dot).toLowerCase()];
}

/**
 * Every rule file under `root` (a directory, or one file), sorted so that runs
 * are deterministic. Paths are returned as given (relative stays relative).
 */
export function discoverRuleFiles(root: string): string[] {
  const st = statSync(root);
  if (st.isFile()) return [root];
  const entries = readdirSync(root, { recursive: true, encoding: 'utf8' });
  return entries
    .filter((e) => ruleFileKind(e) !== undefined && !e.split(sep).some((p) => p.startsWith('.')))
    .map((e) => join(root, e))
    .sort();
}

/** Path with forward slashes relative to `base`, for messages and mirroring. */
export function portablePath(file: string, base = process.cwd()): string {
  return relative(base, file).split(sep).join('/');
}
