/**
 * Sigma `attack.*` tags → ATT&CK technique ids and tactic short names.
 * `attack.t1059.001` → technique `T1059.001`; `attack.execution` → tactic
 * `execution` (`_` normalised to `-`, as older rules wrote `credential_access`);
 * group / software ids (`attack.g0016`, `attack.s0002`) are neither.
 */
const TECHNIQUE = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;
const OTHER_ID = /^attack\.[gsm]\d{4}$/i;

export interface AttackRefs {
  readonly techniques: string[];
  readonly tactics: string[];
}

export function attackFromTags(tags: readonly string[]): AttackRefs {
  const techniques = new Set<string>();
  const tactics = new Set<string>();
  for (const tag of tags) {
    const t = TECHNIQUE.exec(tag);
    if (t) techniques.add(t[1]!.toUpperCase());
    else if (/^attack\./i.test(tag) && !OTHER_ID.test(tag)) tactics.add(tag.slice('attack.'.length).toLowerCase().replace(/_/g, '-'));
  }
  return { techniques: [...techniques], tactics: [...tactics] };
}
