/**
 * Pipelines are written for pySigma, so their regular expressions and
 * replacement strings use Python's `re` syntax. These translate the parts that
 * differ from JavaScript; patterns come from trusted pipeline files, not rules.
 */

/** Python `(?P<n>…)`, `(?P=n)` and leading inline flags `(?i)` → a JavaScript RegExp. */
export function pythonRegex(source: string, opts: { anchored?: boolean; global?: boolean } = {}): RegExp {
  let src = source;
  let flags = opts.global ? 'gu' : 'u';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    for (const f of inline[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    src = src.slice(inline[0].length);
  }
  src = src.replaceAll('(?P<', '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>').replaceAll('\\Z', '$(?![\\s\\S])').replaceAll('\\A', '^');
  try {
    return new RegExp(opts.anchored ? `^(?:${src})` : src, flags);
  } catch {
    // Python accepts escapes (`\-`, `\ `) that unicode-mode JavaScript rejects.
    return new RegExp(opts.anchored ? `^(?:${src})` : src, flags.replace('u', ''));
  }
}

/** Python `re.sub` replacement (`\1`, `\g<1>`, `\g<name>`, `\\`) → JavaScript `String.replace` syntax. */
export function pythonReplacement(repl: string): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c === '$') out += '$$';
    else if (c !== '\\' || i + 1 === repl.length) out += c;
    else {
      const n = repl[++i]!;
      const group = /^g<(\w+)>/.exec(repl.slice(i));
      if (group) {
        out += /^\d+$/.test(group[1]!) ? `$${group[1]}` : `$<${group[1]}>`;
        i += group[0].length - 1;
      } else if (/\d/.test(n)) {
        const digits = /^\d{1,2}/.exec(repl.slice(i))![0];
        out += `$${digits}`;
        i += digits.length - 1;
      } else out += ({ n: '\n', t: '\t', r: '\r', '\\': '\\' } as Record<string, string>)[n] ?? `\\${n}`;
    }
  }
  return out;
}

/** Python 3.7+ `re.escape`: the characters special in a regex, and whitespace. */
export function pythonEscape(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`);
}
