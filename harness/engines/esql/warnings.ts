import type { Span } from './ast.ts';
import { lineColumn } from './parse/lexer.ts';

const LIMIT = 20;

/**
 * Response warnings in Elasticsearch's words: per failing expression, one
 * "evaluation of [expr] failed, treating result as null" header and up to 20
 * distinct exception lines, each located "Line L:C" at the expression's start.
 * Identical texts are sent once, as Elasticsearch's warning headers are.
 */
export class Warnings {
  private readonly texts: string[] = [];
  private readonly seen = new Set<string>();
  private readonly failures = new Map<string, number>();

  constructor(private readonly source: string) {}

  reset(): void {
    this.texts.length = 0;
    this.seen.clear();
    this.failures.clear();
  }

  private push(text: string): void {
    if (this.seen.has(text)) return;
    this.seen.add(text);
    this.texts.push(text);
  }

  location(span: Span): string {
    const { line, column } = lineColumn(this.source, span.start);
    return `Line ${line}:${column}`;
  }

  /** An evaluation failure of `span` (exception e.g. "java.lang.ArithmeticException: / by zero"). */
  failure(span: Span, exception: string, treatedAs: 'null' | 'false' = 'null'): void {
    const key = `${span.start}:${span.end}`;
    const n = this.failures.get(key) ?? 0;
    if (n >= LIMIT) return; // the hot path for a multi-valued column: nothing more is recorded
    const where = this.location(span);
    if (n === 0) {
      const text = this.source.slice(span.start, span.end).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      this.push(`${where}: evaluation of [${text}] failed, treating result as ${treatedAs}. Only first ${LIMIT} failures recorded.`);
    }
    this.failures.set(key, n + 1);
    this.push(`${where}: ${exception}`);
  }

  /** A warning not tied to a failing row (e.g. "Expression [1 + null] always evaluates to NULL."). */
  plain(text: string): void {
    this.push(text);
  }

  list(): string[] {
    return [...this.texts];
  }
}

export const MULTI_VALUE = 'java.lang.IllegalArgumentException: single-value function encountered multi-value';
