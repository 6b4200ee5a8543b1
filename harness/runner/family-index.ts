import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import type { EventCandidates, PrefilterFamily } from '../core/prefilter.ts';
import type { RuleIndex } from './rule-index.ts';

/**
 * The rule index over every engine: the Sigma index (rule-index.ts, which
 * reads Sigma logic itself and runs what it cannot read on every event) and
 * one engine index per prefilter family (core/prefilter.ts: EQL, KQL, later
 * ES|QL). `matching` is exact: each family's candidates are decided by their
 * own `matches`; results come in the order the detectors were given.
 */
export class FamilyIndex implements RuleIndex {
  private readonly groups: { readonly members: readonly Detector[]; readonly positions: readonly number[]; readonly index: EventCandidates }[] = [];

  constructor(
    private readonly rest: RuleIndex,
    /** The positions (in the full list) of the detectors `rest` indexes. */
    private readonly restPositions: ReadonlyMap<Detector, number>,
    families: ReadonlyMap<PrefilterFamily, { detectors: Detector[]; positions: number[] }>,
  ) {
    for (const [family, { detectors, positions }] of families) {
      this.groups.push({ members: detectors, positions, index: family.build(detectors.map((d) => d.prefilter!)) });
    }
  }

  get unindexed(): number {
    return this.rest.unindexed;
  }

  matching(event: Event): Detector[] {
    const found: { d: Detector; at: number }[] = this.rest.matching(event).map((d) => ({ d, at: this.restPositions.get(d)! }));
    for (const g of this.groups) {
      for (const i of g.index.candidates(event)) {
        const d = g.members[i]!;
        if (d.matches(event)) found.push({ d, at: g.positions[i]! });
      }
    }
    if (found.length > 1) found.sort((a, b) => a.at - b.at);
    return found.map((x) => x.d);
  }

  candidateCount(event: Event): number {
    let n = this.rest.candidateCount(event);
    for (const g of this.groups) n += g.index.candidates(event).length;
    return n;
  }
}

/** Split detectors into those of each prefilter family and the rest, keeping their positions. */
export function byFamily(detectors: readonly Detector[]): { rest: Detector[]; restPositions: Map<Detector, number>; families: Map<PrefilterFamily, { detectors: Detector[]; positions: number[] }> } {
  const rest: Detector[] = [];
  const restPositions = new Map<Detector, number>();
  const families = new Map<PrefilterFamily, { detectors: Detector[]; positions: number[] }>();
  detectors.forEach((d, i) => {
    const family = d.prefilter?.family;
    if (!family) {
      rest.push(d);
      restPositions.set(d, i);
      return;
    }
    let g = families.get(family);
    if (!g) families.set(family, (g = { detectors: [], positions: [] }));
    g.detectors.push(d);
    g.positions.push(i);
  });
  return { rest, restPositions, families };
}
