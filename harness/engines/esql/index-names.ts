import { globRegExp } from './glob.ts';

/**
 * The names a concrete index is reached by in an index expression. `_index`
 * holds the concrete index, which a FROM pattern may reach only through
 * another name: a data stream's backing index `.ds-<stream>-<yyyy.MM.dd>-<generation>`
 * through its stream (`FROM metrics-*` reads `.ds-metrics-system.cpu-default-…`),
 * Kibana's alerts index `.internal.alerts-<…>-<generation>` through its alias
 * `.alerts-<…>` (`FROM .alerts-security.*`).
 */
export function reachableNames(index: string): string[] {
  const out = [index];
  const stream = /^\.ds-(.+?)(?:-\d{4}\.\d{2}\.\d{2})?(?:-\d+)?$/.exec(index);
  if (stream) out.push(stream[1]!);
  const alias = /^\.internal(\.alerts-.+?)(?:-\d+)?$/.exec(index);
  if (alias) out.push(alias[1]!);
  return out;
}

/** Does an index pattern (`*` wildcards) reach the concrete index, by its own name or one it is reached by? */
export function patternReaches(pattern: string): (index: string) => boolean {
  const re = globRegExp(pattern);
  return (index) => reachableNames(index).some((n) => re.test(n));
}
