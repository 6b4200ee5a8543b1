/**
 * LIKE patterns: `*` any run of characters, `?` one character, `\` escapes the
 * next character (so `\*` is a literal star and `\\` a backslash). Matching is
 * case-sensitive and covers the whole value.
 */
export function likeToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      out += escapeRe(pattern[++i] as string);
    } else if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else out += escapeRe(c);
  }
  return new RegExp(`^${out}$`, 'u');
}

const escapeRe = (c: string): string => (/[\\^$.*+?()[\]{}|]/.test(c) ? `\\${c}` : c);
