/**
 * One error model for the whole harness: every problem with an input is a
 * Diagnostic with a real source span, so the CLI, the suite and `lint` can all
 * point at file, line and column.
 */

/** 1-based line and column, as editors show them. */
export interface SourceSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly length?: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable machine code, e.g. `sigma/unknown-modifier`, `yaml/syntax`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span?: SourceSpan;
  readonly ruleId?: string;
}

/** Thrown when an input cannot be used; carries every diagnostic found, not just the first. */
export class HarnessError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    this.name = 'HarnessError';
    this.diagnostics = diagnostics;
  }
}

/** `file:line:column: error: message [code]` — the form editors and CI annotate. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.column}: ` : '';
  const rule = d.ruleId ? ` (rule ${d.ruleId})` : '';
  return `${where}${d.severity}: ${d.message}${rule} [${d.code}]`;
}

/**
 * The diagnostic plus the offending source line with a caret under the span.
 * @example renderDiagnostic(d, text) // "rules/x.yml:12:9: error: unknown modifier…\n   12 |   Image|containz: x\n      |         ^^^^^^^^"
 */
export function renderDiagnostic(d: Diagnostic, sourceText?: string): string {
  const head = formatDiagnostic(d);
  if (!d.span || sourceText === undefined) return head;
  const line = sourceText.split(/\r?\n/)[d.span.line - 1];
  if (line === undefined) return head;
  const gutter = String(d.span.line).padStart(5);
  const caret = ' '.repeat(Math.max(0, d.span.column - 1)) + '^'.repeat(Math.max(1, d.span.length ?? 1));
  return `${head}\n${gutter} | ${line}\n${' '.repeat(5)} | ${caret}`;
}
