/**
 * Regex compilation shared by the engines: JS RegExp with the `u` flag when the
 * source is valid under it (stricter, code-point aware), else without; a leading
 * inline `(?i)`, `(?s)`, `(?m)` group (PCRE/Java style) becomes a JS flag.
 * Throws an Error whose message says what is wrong; callers attach the location.
 */
export interface RegexOptions {
  readonly ignoreCase?: boolean;
  readonly multiline?: boolean;
  readonly dotAll?: boolean;
}

const INLINE_FLAGS = /^\(\?([ims]+)\)/;

export function compileRegex(source: string, opts: RegexOptions = {}): RegExp {
  let body = source;
  let flags = '';
  if (opts.ignoreCase) flags += 'i';
  if (opts.multiline) flags += 'm';
  if (opts.dotAll) flags += 's';
  const inline = INLINE_FLAGS.exec(body);
  if (inline) {
    for (const f of inline[1]!) if (!flags.includes(f)) flags += f;
    body = body.slice(inline[0].length);
  }
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
