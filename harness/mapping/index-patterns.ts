import { IndexMapping } from './index-mapping.ts';

/** Mapping files for the indices a pattern names (`logs-okta*` → okta.json). */
export interface PatternMapping {
  /** An index pattern as rules write them (`logs-okta*`); `*` alone: every rule. */
  readonly pattern: string;
  readonly mapping: IndexMapping;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/**
 * The mapping each rule sees: base (ECS) with the mappings whose pattern
 * covers one of the rule's index patterns layered over it, in configured
 * order (later wins). A configured pattern covers a rule's pattern when it
 * matches its text (`logs-*` covers `logs-okta*`); `*` covers every rule,
 * also rules with no index (data views). One IndexMapping per distinct
 * selection, built once.
 * @example new MappingSelector(ecsMapping(), [{ pattern: 'logs-okta*', mapping: okta }]).forIndices(['logs-okta*']).field('okta.outcome.result')?.source // 'mappings/okta.json'
 */
export class MappingSelector {
  private readonly matchers: readonly { readonly re: RegExp; readonly all: boolean; readonly mapping: IndexMapping }[];
  private readonly cache = new Map<string, IndexMapping>();

  constructor(
    readonly base: IndexMapping,
    entries: readonly PatternMapping[] = [],
  ) {
    this.matchers = entries.map((e) => ({ re: globToRegExp(e.pattern), all: e.pattern === '*', mapping: e.mapping }));
  }

  forIndices(indices: readonly string[] = []): IndexMapping {
    const chosen = this.matchers.map((m, i) => (m.all || indices.some((x) => m.re.test(x)) ? i : -1)).filter((i) => i >= 0);
    const key = chosen.join(',');
    let m = this.cache.get(key);
    if (!m) {
      m = chosen.reduce((acc, i) => this.matchers[i]!.mapping.over(acc), this.base);
      this.cache.set(key, m);
    }
    return m;
  }
}
