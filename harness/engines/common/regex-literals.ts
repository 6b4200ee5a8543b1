/**
 * Literal text that every match of a regular expression contains, read off the
 * pattern conservatively, so a prefilter can ask for it before running the
 * (slow, linear-time) regex. Only runs of ASCII characters that the pattern
 * must match one after another count; anything unclear (classes, groups,
 * escapes of letters, anchors, quantified characters) ends a run. Returned
 * folded: a value the regex matches has folded text containing them. Under
 * case-insensitive matching `k` and `s` also end a run, since Unicode folding
 * matches them with the Kelvin sign and the long s, which `toLowerCase` leaves
 * alone.
 */

/** Characters after a backslash that stand for themselves. */
const ESCAPED_SELF = /[^A-Za-z0-9]/;

function skipClass(src: string, i: number): number {
  // i at '['; a ']' right after '[' or '[^' is literal.
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++;
  for (; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === ']') return j + 1;
  }
  return src.length;
}

function skipGroup(src: string, i: number): number {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipClass(src, j) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return src.length;
}

/** Top-level alternatives (a `|` outside groups and classes). */
function branches(src: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let j = 0; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipClass(src, j) - 1;
    else if (c === '(') j = skipGroup(src, j) - 1;
    else if (c === '|') {
      out.push(src.slice(start, j));
      start = j + 1;
    }
  }
  out.push(src.slice(start));
  return out;
}

const QUANTIFIER = /^(?:[*+?]|\{(\d+)(?:,\d*)?\})/;

/** Where the argument of an escape such as `\x41`, `\u{2F}`, `\pL`, `\cA`, `\k<n>` or `\12` ends. */
function escapeEnd(src: string, i: number): number {
  const e = src[i + 1] ?? '';
  let j = i + 2;
  const braced = (open: string, close: string): number => (src[j] === open ? Math.max(src.indexOf(close, j), j) + 1 : -1);
  switch (e) {
    case 'x':
      return braced('{', '}') >= 0 ? braced('{', '}') : j + 2;
    case 'u':
      return braced('{', '}') >= 0 ? braced('{', '}') : j + 4;
    case 'p':
    case 'P':
    case 'N':
      return braced('{', '}') >= 0 ? braced('{', '}') : j + 1;
    case 'c':
      return j + 1;
    case 'k':
      return braced('<', '>') >= 0 ? braced('<', '>') : j;
    default:
      if (/[0-9]/.test(e)) while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      return j;
  }
}

/** The literal runs of one alternative. */
function runsOf(src: string, insensitive: boolean): string[] {
  const runs: string[] = [];
  let run = '';
  const end = (): void => {
    if (run !== '') runs.push(run);
    run = '';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    let lit: string | undefined;
    let next: number;
    if (c === '\\') {
      const e = src[i + 1];
      lit = e !== undefined && ESCAPED_SELF.test(e) ? e : undefined;
      next = lit === undefined ? escapeEnd(src, i) : i + 2;
    } else if (c === '[') next = skipClass(src, i);
    else if (c === '(') next = skipGroup(src, i);
    else {
      lit = '.^$|)]{}*+?'.includes(c) ? undefined : c;
      next = i + 1;
    }
    const q = QUANTIFIER.exec(src.slice(next));
    if (lit !== undefined && (lit.charCodeAt(0) >= 128 || (insensitive && /[ks]/i.test(lit)))) lit = undefined;
    if (q) {
      // `x+` / `x{2,}` still has one x here; `x*` / `x?` / `x{0,}` may have none. Either way the run stops.
      const required = q[0] === '+' || (q[1] !== undefined && Number(q[1]) > 0);
      if (lit !== undefined && required) run += lit;
      end();
      next += q[0].length;
      if (src[next] === '?' || src[next] === '+') next++; // lazy / possessive
    } else if (lit !== undefined) run += lit;
    else end();
    i = next;
  }
  end();
  return runs;
}

/**
 * For each top-level alternative, its longest required literal (folded); undefined
 * when some alternative has none, so nothing can be required.
 * @example requiredLiterals('ipconfig\\s+/all', '') // ['ipconfig']
 */
export function requiredLiterals(source: string, flags: string): string[] | undefined {
  // `\Q…\E` quotes metacharacters: too unlike the rest to read safely.
  if (source.includes('\\Q')) return undefined;
  const insensitive = flags.includes('i') || /\(\?[a-z-]*i/i.test(source);
  const out: string[] = [];
  for (const b of branches(source)) {
    const runs = runsOf(b, insensitive);
    if (runs.length === 0) return undefined;
    out.push(runs.reduce((a, r) => (r.length > a.length ? r : a)).toLowerCase());
  }
  return out;
}
