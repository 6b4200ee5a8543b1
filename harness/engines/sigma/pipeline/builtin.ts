/**
 * Built-in pipelines (data files in ./builtin, each noting the public source
 * its tables were checked against) and resolving a pipeline reference: a
 * built-in name, `none`, or a pipeline YAML file.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../../../core/diagnostics.ts';
import { didYouMean } from '../../../core/suggest.ts';
import { composePipelines, type ComposedPipeline } from './apply.ts';
import { loadPipelineFile } from './load.ts';
import type { Pipeline } from './model.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'builtin');

/** Built-in name → data file (pySigma plugin names). */
export const BUILTIN_PIPELINES: Readonly<Record<string, string>> = {
  ecs_windows: 'ecs_windows.yml',
  ecs_windows_old: 'ecs_windows_old.yml',
  sysmon: 'sysmon.yml',
  'windows-audit': 'windows-audit.yml',
  'windows-logsources': 'windows-logsources.yml',
  ecs_zeek_beats: 'ecs_zeek_beats.yml',
  ecs_zeek: 'ecs_zeek_beats.yml',
};

/** The reference that means "no pipeline" (a scenario's `pipelines: [none, ecs_windows]`). */
export const NO_PIPELINE = 'none';

const cache = new Map<string, Pipeline>();

/** Load one pipeline by built-in name or file path (relative to `base`); cached. */
export function resolvePipeline(ref: string, base = process.cwd()): Pipeline {
  const builtin = Object.prototype.hasOwnProperty.call(BUILTIN_PIPELINES, ref) ? join(DIR, BUILTIN_PIPELINES[ref]!) : undefined;
  const file = builtin ?? (ref.startsWith('/') ? ref : join(base, ref));
  // Keyed by reference for built-ins: two names may share a data file (ecs_zeek) and each keeps its own name.
  const key = builtin ? ref : file;
  const hit = cache.get(key);
  if (hit) return hit;
  if (!builtin && !existsSync(file)) {
    const hint = didYouMean(ref, Object.keys(BUILTIN_PIPELINES));
    throw new HarnessError([{ code: 'pipeline/unknown', severity: 'error', message: `unknown pipeline '${ref}': neither a built-in (${Object.keys(BUILTIN_PIPELINES).join(', ')}), '${NO_PIPELINE}', nor a pipeline file${hint}` }]);
  }
  const p = loadPipelineFile(file);
  // Built-ins are named by their reference, as pySigma's plugins are.
  const named = builtin ? { ...p, name: ref } : p;
  cache.set(key, named);
  return named;
}

/**
 * Resolve a list of references into one composed pipeline (by priority), or
 * undefined for none. `none` may only stand alone.
 * @example pipelineOf(['sysmon', 'ecs_windows'])
 */
export function pipelineOf(refs: readonly string[], base = process.cwd()): ComposedPipeline | undefined {
  const real = refs.filter((r) => r !== NO_PIPELINE);
  if (real.length === 0) return undefined;
  if (real.length !== refs.length) throw new HarnessError([{ code: 'pipeline/none-combined', severity: 'error', message: `'${NO_PIPELINE}' cannot be combined with other pipelines (${refs.join(', ')})` }]);
  // Built-ins are named by their reference; a file by its `name` (else its path).
  return composePipelines(real.map((r) => resolvePipeline(r, base)));
}
