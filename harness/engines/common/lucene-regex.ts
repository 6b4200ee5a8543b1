/**
 * Lucene regular expressions (Elasticsearch `regexp` syntax, as EQL `regex`
 * and Lucene query-string `/…/` use them) translated into an anchored
 * JavaScript regex source.
 * Lucene has no anchors (`^`/`$` are ordinary characters) and always matches the
 * whole value; `"…"` quotes a literal run; `.` matches any character; `@` is
 * any string and `#` the empty language. Complement `~`, intersection `&` and
 * numeric intervals `<n-m>` have no JS equivalent and are rejected.
 * Shorthand classes `\d \s \w` (and negations) are supported as in Lucene 9.
 */
const JS_SPECIAL = /[\\^$.*+?()[\]{}|/-]/;
const esc = (c: string): string => (JS_SPECIAL.test(c) ? `\\${c}` : c);
const SHORTHAND: Record<string, string> = { d: '\\d', D: '\\D', s: '\\s', S: '\\S', w: '\\w', W: '\\W' };

export class LuceneRegexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function luceneToJs(src: string): string {
  const chars = [...src];
  let i = 0;
  const fail = (msg: string): never => {
    throw new LuceneRegexError(msg, i);
  };

  const alternation = (): string => {
    const branches = [sequence()];
    while (chars[i] === '|') {
      i++;
      branches.push(sequence());
    }
    return branches.join('|');
  };

  const sequence = (): string => {
    let out = '';
    while (i < chars.length && chars[i] !== '|' && chars[i] !== ')') {
      let a = atom();
      let quantified = false;
      for (;;) {
        const q = quantifier();
        if (q === undefined) break;
        a = quantified ? `(?:${a})${q}` : `${a}${q}`;
        quantified = true;
      }
      out += a;
    }
    return out;
  };

  const quantifier = (): string | undefined => {
    const c = chars[i];
    if (c === '*' || c === '+' || c === '?') {
      i++;
      return c;
    }
    if (c === '{') {
      const rest = chars.slice(i).join('');
      const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
      if (!m) fail('invalid repetition {n,m}');
      i += [...m![0]].length;
      return m![0];
    }
    return undefined;
  };

  const atom = (): string => {
    const c = chars[i]!;
    switch (c) {
      case '(': {
        i++;
        const inner = alternation();
        if (chars[i] !== ')') fail("missing ')'");
        i++;
        return `(?:${inner})`;
      }
      case '[':
        return charClass();
      case '"': {
        const close = chars.indexOf('"', i + 1);
        if (close < 0) fail('unterminated "..." literal');
        const lit = chars.slice(i + 1, close).map(esc).join('');
        i = close + 1;
        return `(?:${lit})`;
      }
      case '\\': {
        const n = chars[i + 1];
        if (n === undefined) fail('trailing backslash');
        i += 2;
        return SHORTHAND[n!] ?? esc(n!);
      }
      case '.':
        i++;
        return '[\\s\\S]';
      case '@':
        i++;
        return '[\\s\\S]*';
      case '#':
        i++;
        return '(?!)';
      case '~':
      case '&':
      case '<':
        return fail(`Lucene regex operator '${c}' is not supported (escape it to match it literally)`);
      case '*':
      case '+':
      case '?':
      case '{':
        return fail(`nothing to repeat before '${c}'`);
      default:
        i++;
        return esc(c);
    }
  };

  const charClass = (): string => {
    i++; // [
    let out = '[';
    if (chars[i] === '^') {
      out += '^';
      i++;
    }
    let first = true;
    while (i < chars.length && (chars[i] !== ']' || first)) {
      first = false;
      const c = chars[i]!;
      if (c === '\\') {
        const n = chars[i + 1];
        if (n === undefined) fail('trailing backslash');
        out += SHORTHAND[n!] ?? esc(n!);
        i += 2;
      } else if (c === '-' && out.length > 1 && chars[i + 1] !== ']') {
        out += '-';
        i++;
      } else {
        out += esc(c);
        i++;
      }
    }
    if (chars[i] !== ']') fail("missing ']'");
    i++;
    return out + ']';
  };

  const body = alternation();
  if (i < chars.length) fail(`unbalanced ')'`);
  return `^(?:${body})$`;
}
