/**
 * All report files from one CoverageModel. Every file is rendered in memory
 * first and only then written, each atomically (temp file + rename): a run
 * that fails — or is interrupted — leaves the previous reports intact.
 */
import { join } from 'node:path';
import type { AttackCatalog } from '../attack/catalog.ts';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { diffCoverage, renderBaselineDiff, type BaselineDiff } from './baseline.ts';
import type { CoverageModel } from './model.ts';
import { renderHtml } from './write-html.ts';
import { renderCoverageJson } from './write-json.ts';
import { renderJunit } from './write-junit.ts';
import { renderMarkdown } from './write-markdown.ts';
import { renderNavigatorLayer, type NavigatorOptions } from './write-navigator.ts';

export const REPORT_FILES = ['coverage.json', 'coverage.md', 'index.html', 'navigator-layer.json', 'junit.xml'] as const;
export const BASELINE_FILE = 'baseline-diff.json';

export interface RenderedReports {
  /** File name → content, in write order (coverage.json last: it is what a later `--baseline` reads). */
  readonly files: ReadonlyMap<string, string>;
  readonly baseline?: { readonly diff: BaselineDiff; readonly text: string };
}

export function renderReports(model: CoverageModel, catalog: AttackCatalog, opts: { baseline?: CoverageModel; navigator?: NavigatorOptions } = {}): RenderedReports {
  const files = new Map<string, string>([
    ['coverage.md', renderMarkdown(model)],
    ['index.html', renderHtml(model, catalog)],
    ['navigator-layer.json', renderNavigatorLayer(model, opts.navigator)],
    ['junit.xml', renderJunit(model)],
  ]);
  let baseline: RenderedReports['baseline'];
  if (opts.baseline) {
    const diff = diffCoverage(opts.baseline, model);
    files.set(BASELINE_FILE, `${JSON.stringify(diff, null, 2)}\n`);
    baseline = { diff, text: renderBaselineDiff(diff, opts.baseline, model) };
  }
  files.set('coverage.json', renderCoverageJson(model));
  return { files, ...(baseline ? { baseline } : {}) };
}

/** Write rendered reports into `dir`, one atomic rename per file; returns the paths written. */
export function writeReports(dir: string, reports: RenderedReports, write: (path: string, content: string) => void = writeFileAtomic): string[] {
  const written: string[] = [];
  for (const [name, content] of reports.files) {
    const path = join(dir, name);
    write(path, content);
    written.push(path);
  }
  return written;
}
