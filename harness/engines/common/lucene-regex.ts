/**
 * Lucene regular expressions (Elasticsearch `regexp` syntax, as EQL `regex`
 * and Lucene query-string `/…/` use them) translated into an anchored
 * JavaScript regex source.
 * Lucene has no anchors (`^`/`$` are ordinary characters) and always matches the
 * whole value; `"…"` quotes a literal run; `.` matches any character; `@` is
 * any string and `#` the empty language. Complement `~`, intersection `&` and
 * numeric intervals `<n-m>` have no JS equivalent and are rejected.
 * Shorthand classes `\d \s \w` (and negations) exist since Lucene 8.6
 * (LUCENE-9336) with ASCII meanings: `\s` is `[ \t\n\r]` only (no form feed,
 * no Unicode spaces), `\w` is `[a-zA-Z_0-9]`. A backslash before any other
 * ASCII letter (`\n`, `\t`, `\b`…) is an error in Lucene ("invalid character
 * class"), so Elasticsearch fails the search: it is an error here too.
 * Source: apache/lucene `RegExp.java` (`expandPredefined`,
 * `matchPredefinedCharacterClass`); docs/semantics-verified.md.
 */
const JS_SPECIAL = /[\\^$.*+?()[\]{}|/-]/;
const esc = (c: string): string => (JS_SPECIAL.test(c) ? `\\${c}` : c);
/** Outside a class: each shorthand as an explicit ASCII class (RE2's `\s` would add `\f`). */
const SHORTHAND: Record<string, string> = { d: '[0-9]', D: '[^0-9]', s: '[ \\t\\n\\r]', S: '[^ \\t\\n\\r]', w: '[a-zA-Z_0-9]', W: '[^a-zA-Z_0-9]' };
/** Inside a class: the same sets as class members (`\S\f` is everything but `[ \t\n\r]`). */
const SHORTHAND_IN_CLASS: Record<string, string> = { d: '0-9', D: '\\D', s: ' \\t\\n\\r', S: '\\S\\f', w: 'a-zA-Z_0-9', W: '\\W' };
/** Lucene refuses a backslash before an ASCII letter that names no class. */
const BAD_ESCAPE = /^[a-zA-Z]$/;

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

  /** `\x` at `i`: a shorthand class, a refused letter escape, or the character itself. */
  const escaped = (classes: Record<string, string>): string => {
    const n = chars[i + 1];
    if (n === undefined) fail('trailing backslash');
    const cls = classes[n!];
    if (cls === undefined && BAD_ESCAPE.test(n!)) fail(`invalid character class \\${n!} (Lucene knows only \\d \\D \\s \\S \\w \\W; write the character itself)`);
    i += 2;
    return cls ?? esc(n!);
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
      case '\\':
        return escaped(SHORTHAND);
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
        out += escaped(SHORTHAND_IN_CLASS);
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
