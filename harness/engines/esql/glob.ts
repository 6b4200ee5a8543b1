/**
 * Index and column name patterns (FROM, KEEP/DROP/RENAME, wanted mapping
 * fields): `*` is any run of characters, everything else is literal.
 */
export function globRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}
