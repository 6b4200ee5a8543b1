/**
 * contains / startswith / endswith applied to a regular expression (pySigma
 * `modifiers.py` helpers): add `.*` on the open side(s), grouping a top-level
 * alternation first so the wildcard applies to every alternative.
 */

/** Does the regex contain a `|` outside groups and character classes? */
export function hasTopLevelAlternation(re: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

function endsWithUnescaped(re: string, suffix: string): boolean {
  if (!re.endsWith(suffix)) return false;
  const head = re.slice(0, re.length - suffix.length);
  const backslashes = head.length - head.replace(/\\+$/, '').length;
  return backslashes % 2 === 0;
}

const openEnded = (re: string): boolean => !endsWithUnescaped(re, '.*') && !endsWithUnescaped(re, '$');
const openStarted = (re: string): boolean => !re.startsWith('.*') && !re.startsWith('^');

export function shapeRegex(source: string, start: boolean, end: boolean): string {
  let re = hasTopLevelAlternation(source) ? `(?:${source})` : source;
  const check = re;
  if (start && openStarted(check)) re = `.*${re}`;
  if (end && openEnded(check)) re = `${re}.*`;
  return re;
}
