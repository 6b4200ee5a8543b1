import type { SourceSpan } from '../core/diagnostics.ts';

/**
 * Locate `key = …` inside a TOML file (first occurrence after the `[table]`
 * header, if given), optionally a line/column inside a multi-line string
 * value such as `query = '''…'''`. Only used on errors.
 */
export function locateTomlKey(file: string, text: string, key: string, inValue?: { line: number; column: number }, table = 'rule'): SourceSpan {
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((l) => l.trim() === `[${table}]`);
  const keyRe = new RegExp(`^\\s*"?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*=`);
  const at = lines.findIndex((l, i) => i > header && keyRe.test(l));
  if (at < 0) return { file, line: header >= 0 ? header + 1 : 1, column: 1 };
  if (!inValue) return { file, line: at + 1, column: 1, length: key.length };
  // A value opening with ''' or """ followed by a newline starts on the next line.
  const opener = /=\s*('''|""")\s*$/.test(lines[at] ?? '');
  if (opener) return { file, line: at + 1 + inValue.line, column: inValue.column };
  const quoteCol = (lines[at] ?? '').search(/['"]/);
  return { file, line: at + inValue.line, column: inValue.line === 1 ? quoteCol + 1 + inValue.column : inValue.column };
}
