/**
 * Regex compilation shared by the engines. Patterns run on RE2 (re2js, a
 * linear-time engine), so a catastrophic pattern such as `(a+)+$` cannot stall
 * a run. RE2 lacks lookaround and backreferences; a pattern that needs them
 * falls back to the native backtracking engine only when it has no nested
 * quantifier (the shape behind catastrophic backtracking), else it is refused
 * with a message saying why. A leading inline `(?i)`, `(?s)`, `(?m)` group
 * (PCRE/Java style) becomes a flag. Throws an Error whose message says what is
 * wrong; callers attach the location.
 */
import { RE2JS } from 're2js';

export interface RegexOptions {
  readonly ignoreCase?: boolean;
  readonly multiline?: boolean;
  readonly dotAll?: boolean;
}

/** The only interface engines rely on: an unanchored search. */
export interface SafeRegex {
  readonly source: string;
  /** `re2` (linear time) or `native` (no nested quantifiers, so bounded backtracking). */
  readonly engine: 're2' | 'native';
  test(input: string): boolean;
}

const INLINE_FLAGS = /^\(\?([ims]+)\)/;

export function compileRegex(source: string, opts: RegexOptions = {}): SafeRegex {
  let body = source;
  let ignoreCase = opts.ignoreCase ?? false;
  let multiline = opts.multiline ?? false;
  let dotAll = opts.dotAll ?? false;
  const inline = INLINE_FLAGS.exec(body);
  if (inline) {
    ignoreCase ||= inline[1]!.includes('i');
    multiline ||= inline[1]!.includes('m');
    dotAll ||= inline[1]!.includes('s');
    body = body.slice(inline[0].length);
  }
  let re2Error: string;
  try {
    const flags = (ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (multiline ? RE2JS.MULTILINE : 0) | (dotAll ? RE2JS.DOTALL : 0);
    const re = RE2JS.compile(body, flags);
    return { source, engine: 're2', test: (s) => re.test(s) };
  } catch (e) {
    re2Error = (e as Error).message.replace(/^error parsing regexp: /, '');
  }
  const native = nativeRegExp(source, body, `${ignoreCase ? 'i' : ''}${multiline ? 'm' : ''}${dotAll ? 's' : ''}`);
  if (!usesBacktrackingOnlyFeature(body)) throw new Error(`invalid regular expression /${source}/: ${re2Error}`);
  const nested = nestedQuantifier(body);
  if (nested !== undefined) {
    throw new Error(`unsupported regular expression /${source}/: it needs lookaround or backreferences (not in the linear-time flavour) and has a nested quantifier at offset ${nested}, which can backtrack catastrophically`);
  }
  return { source, engine: 'native', test: (s) => native.test(s) };
}

function nativeRegExp(source: string, body: string, flags: string): RegExp {
  try {
    return new RegExp(body, flags + 'u');
  } catch {
    try {
      return new RegExp(body, flags);
    } catch (e) {
      throw new Error(`invalid regular expression /${source}/: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, { cause: e });
    }
  }
}

/** Lookaround `(?=` `(?!` `(?<=` `(?<!` or a backreference `\1`. */
function usesBacktrackingOnlyFeature(body: string): boolean {
  return /\(\?<?[=!]|(^|[^\\])(\\\\)*\\[1-9]/.test(body);
}

/**
 * Offset of a quantified group that itself contains a quantifier, e.g. `(a+)+`
 * or `(\w*x)*`: the star-height-2 shape that makes backtracking exponential.
 */
export function nestedQuantifier(body: string): number | undefined {
  const stack: { start: number; quantified: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push({ start: i, quantified: false });
    else if (c === ')') {
      const group = stack.pop();
      const next = body[i + 1];
      const groupQuantified = next === '*' || next === '+' || next === '{';
      if (group?.quantified && groupQuantified) return group.start;
      if (group?.quantified && stack.length > 0) stack[stack.length - 1]!.quantified = true;
      if (groupQuantified && stack.length > 0) stack[stack.length - 1]!.quantified = true;
    } else if ((c === '*' || c === '+' || c === '{') && stack.length > 0) stack[stack.length - 1]!.quantified = true;
  }
  return undefined;
}
