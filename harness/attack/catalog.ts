/**
 * MITRE ATT&CK Enterprise as the reports need it: tactics in matrix order,
 * techniques with their sub-techniques, platforms and deprecated / revoked
 * flags, and the redirects of retired technique ids. The data ships in
 * `harness/attack/data/` (ATT&CK terms of use in its LICENSE.txt), so the
 * product never reads ../shared at run time. Tests pass small hand-built
 * catalogs to `buildCatalog` instead of the real file.
 */
import { readFileSync } from 'node:fs';

export interface Tactic {
  /** `TA0002` */
  readonly id: string;
  readonly name: string;
  /** `execution` — what Sigma tags and Navigator layers use. */
  readonly shortname: string;
}

export interface Technique {
  /** `T1059` or `T1059.001` */
  readonly id: string;
  readonly name: string;
  /** Tactic short names. */
  readonly tactics: readonly string[];
  readonly platforms: readonly string[];
  readonly subtechnique: boolean;
  readonly deprecated: boolean;
  readonly revoked: boolean;
  readonly url: string;
}

export interface AttackData {
  readonly source: string;
  readonly tactics: readonly Tactic[];
  readonly techniques: readonly Technique[];
  /** Retired technique id → current id. */
  readonly redirects: Readonly<Record<string, string>>;
}

export interface AttackCatalog extends AttackData {
  /** ATT&CK version as the data names it, e.g. `18.1`. */
  readonly version: string;
  readonly tacticsByShortname: ReadonlyMap<string, Tactic>;
  readonly techniquesById: ReadonlyMap<string, Technique>;
  /** Parent id → its current (not deprecated, not revoked) sub-techniques. */
  readonly subtechniques: ReadonlyMap<string, readonly Technique[]>;
}

/** `T1059.001` → `T1059`; `T1059` → undefined. */
export function parentOf(id: string): string | undefined {
  const dot = id.indexOf('.');
  return dot < 0 ? undefined : id.slice(0, dot);
}

/** A technique that is neither deprecated nor revoked: what a matrix shows. */
export function isCurrent(t: Technique): boolean {
  return !t.deprecated && !t.revoked;
}

/**
 * Index the raw data.
 * @example buildCatalog({ source: 'test', tactics: [...], techniques: [...], redirects: {} }, '18.1')
 */
export function buildCatalog(data: AttackData, version: string): AttackCatalog {
  const techniquesById = new Map(data.techniques.map((t) => [t.id, t]));
  const subtechniques = new Map<string, Technique[]>();
  for (const t of data.techniques) {
    const parent = parentOf(t.id);
    if (!parent || !isCurrent(t)) continue;
    subtechniques.set(parent, [...(subtechniques.get(parent) ?? []), t]);
  }
  for (const subs of subtechniques.values()) subs.sort((a, b) => a.id.localeCompare(b.id));
  return {
    ...data,
    version,
    tacticsByShortname: new Map(data.tactics.map((t) => [t.shortname, t])),
    techniquesById,
    subtechniques,
  };
}

/** The shipped data's release (its `source` line names the mitre/cti commit, not the version). */
export const ATTACK_VERSION = '18.1';

const DATA_DIR = new URL('./data/', import.meta.url);

const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, DATA_DIR), 'utf8'));

let cached: AttackCatalog | undefined;

/** The shipped ATT&CK Enterprise catalog (read once per process; it never changes at run time). */
export function loadAttackCatalog(): AttackCatalog {
  if (cached) return cached;
  const raw = readJson('enterprise-attack.json') as Omit<AttackData, 'redirects'>;
  const redirects = (readJson('technique-redirects.json') as { mapping: Record<string, string> }).mapping;
  cached = buildCatalog({ source: raw.source, tactics: raw.tactics, techniques: raw.techniques, redirects }, ATTACK_VERSION);
  return cached;
}
