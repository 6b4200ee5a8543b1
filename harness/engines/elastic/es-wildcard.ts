import { ONE, STAR, text, type Pattern } from '../common/pattern.ts';

/**
 * Elasticsearch `wildcard` query syntax → pattern tokens: `*` any run, `?` one
 * character, backslash escapes the next character.
 * @example parseEsWildcard('C:\\\\Windows\\\\*') // [text('C:\\Windows\\'), STAR]
 */
export function parseEsWildcard(value: string): Pattern {
  const out: Pattern[number][] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push(text(buf));
    buf = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) buf += value[++i];
    else if (c === '*') {
      flush();
      out.push(STAR);
    } else if (c === '?') {
      flush();
      out.push(ONE);
    } else buf += c;
  }
  flush();
  return out;
}
