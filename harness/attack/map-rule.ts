/**
 * A rule's ATT&CK references (already parsed onto `Rule.techniques` /
 * `Rule.tactics` from Sigma `attack.*` tags and Elastic `[[rule.threat]]`)
 * checked against the catalog: retired ids follow the redirects, and every
 * unknown, revoked or deprecated id becomes a finding instead of vanishing.
 */
import type { AttackCatalog } from './catalog.ts';

export type AttackFindingCode = 'attack/unknown-technique' | 'attack/revoked' | 'attack/deprecated' | 'attack/redirected' | 'attack/unknown-tactic';

export interface AttackFinding {
  readonly code: AttackFindingCode;
  readonly severity: 'error' | 'warning';
  /** The id as the rule wrote it (technique id or tactic short name). */
  readonly id: string;
  /** Current technique id, for redirected ids. */
  readonly replacement?: string;
  readonly message: string;
}

export interface RuleAttack {
  /** Current technique ids the rule covers (after redirects), sorted. */
  readonly techniques: readonly string[];
  /** Known tactic short names: the rule's own plus its techniques' tactics, in matrix order. */
  readonly tactics: readonly string[];
  readonly findings: readonly AttackFinding[];
}

export type TechniqueResolution =
  | { readonly kind: 'current'; readonly id: string }
  | { readonly kind: 'redirected'; readonly id: string; readonly from: string }
  | { readonly kind: 'deprecated'; readonly id: string }
  | { readonly kind: 'revoked'; readonly id: string }
  | { readonly kind: 'unknown'; readonly id: string };

/**
 * Follow redirects (a retired id may chain to another retired id) until a
 * current technique, or report why there is none.
 * @example resolveTechnique(catalog, 'T1086') // { kind: 'redirected', id: 'T1059.001', from: 'T1086' }
 */
export function resolveTechnique(catalog: AttackCatalog, raw: string): TechniqueResolution {
  const original = raw.toUpperCase();
  let id = original;
  const seen = new Set<string>();
  while (catalog.redirects[id] !== undefined && !seen.has(id)) {
    seen.add(id);
    id = catalog.redirects[id]!;
  }
  const t = catalog.techniquesById.get(id);
  if (!t) return { kind: 'unknown', id: original };
  if (t.revoked) return { kind: 'revoked', id };
  if (t.deprecated) return { kind: 'deprecated', id };
  return id === original ? { kind: 'current', id } : { kind: 'redirected', id, from: original };
}

function finding(r: TechniqueResolution): AttackFinding | undefined {
  switch (r.kind) {
    case 'current':
      return undefined;
    case 'redirected':
      return { code: 'attack/redirected', severity: 'warning', id: r.from, replacement: r.id, message: `technique ${r.from} is retired; counted as ${r.id}` };
    case 'deprecated':
      return { code: 'attack/deprecated', severity: 'warning', id: r.id, message: `technique ${r.id} is deprecated in ATT&CK and has no replacement; not counted` };
    case 'revoked':
      return { code: 'attack/revoked', severity: 'error', id: r.id, message: `technique ${r.id} is revoked and no redirect names its replacement; not counted` };
    case 'unknown':
      return { code: 'attack/unknown-technique', severity: 'error', id: r.id, message: `technique ${r.id} does not exist in ATT&CK Enterprise; not counted` };
  }
}

/** Resolve a rule's techniques and tactics against the catalog. */
export function mapRuleAttack(catalog: AttackCatalog, rule: { readonly techniques: readonly string[]; readonly tactics: readonly string[] }): RuleAttack {
  const techniques = new Set<string>();
  const tactics = new Set<string>();
  const findings: AttackFinding[] = [];
  for (const raw of rule.techniques) {
    const r = resolveTechnique(catalog, raw);
    const f = finding(r);
    if (f) findings.push(f);
    if (r.kind !== 'current' && r.kind !== 'redirected') continue;
    techniques.add(r.id);
    for (const tactic of catalog.techniquesById.get(r.id)?.tactics ?? []) tactics.add(tactic);
  }
  for (const tactic of rule.tactics) {
    if (catalog.tacticsByShortname.has(tactic)) tactics.add(tactic);
    else findings.push({ code: 'attack/unknown-tactic', severity: 'warning', id: tactic, message: `'${tactic}' is not an ATT&CK Enterprise tactic` });
  }
  const order = catalog.tactics.map((t) => t.shortname);
  return {
    techniques: [...techniques].sort(),
    tactics: order.filter((t) => tactics.has(t)),
    findings,
  };
}
