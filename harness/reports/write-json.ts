/** `coverage.json`: the CoverageModel verbatim (schema: coverage.schema.json), two-space indented so diffs stay readable. */
import type { CoverageModel } from './model.ts';

export function renderCoverageJson(model: CoverageModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** Read a coverage.json back (for `--baseline`); throws with the file name on anything that is not one. */
export function parseCoverageJson(text: string, file: string): CoverageModel {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON: ${(e as Error).message}`, { cause: e });
  }
  const d = data as Partial<CoverageModel> | null;
  if (!d || typeof d !== 'object' || d.schemaVersion !== 1 || !Array.isArray(d.rules) || !Array.isArray(d.techniques)) {
    throw new Error(`${file}: not a rule-harness coverage.json (schemaVersion 1 with rules and techniques)`);
  }
  return d as CoverageModel;
}
