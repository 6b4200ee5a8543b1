/**
 * Branch coverage from a rule's logic (`constraints().logic`) and its explain
 * traces. Branches are the labelled nodes (Sigma search identifiers, Kibana
 * filters), the alternatives of every `or`, and every negated clause (a
 * filter). A trace is matched to the predicate tree node by node — positionally
 * where the shapes agree, by label where they do not — because engines render
 * wrapper nodes (`condition: …`) the predicate does not have. Where a trace
 * has no node for a branch (EQL traces `x in ("a", "b")` as one leaf, the
 * predicate as an `or` of two), the branch is decided on the event itself by
 * the generator's engine-independent model of the predicate tree; only what
 * neither can decide stays unknown.
 */
import type { Trace } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import type { Predicate } from '../engines/common/predicate.ts';
import { evaluate, TWO_VALUED, type ModelOptions } from '../generator/model/evaluate.ts';
import { childrenOf, describePredicate } from './describe-predicate.ts';
import type { Branch, BranchCoverage, BranchKind } from './model.ts';

export interface BranchSpec {
  readonly path: string;
  readonly label: string;
  readonly kind: BranchKind;
  readonly node: Predicate;
  /** The enclosing `and`, whose other children must hold for a filter to matter. */
  readonly clause?: Predicate;
}

/** Every branch of a predicate tree, in tree order. */
export function enumerateBranches(logic: Predicate, prefix = ''): BranchSpec[] {
  const out: BranchSpec[] = [];
  const walk = (p: Predicate, path: string, parent: Predicate | undefined): void => {
    if (p.kind === 'not') {
      const label = p.label ?? p.child.label ?? describePredicate(p.child);
      out.push({ path, label, kind: 'filter', node: p, ...(parent?.kind === 'and' ? { clause: parent } : {}) });
      return; // alternatives inside a filter are the filter's business, not the rule's branches
    }
    if (p.label !== undefined) out.push({ path, label: p.label, kind: 'selection', node: p });
    else if (parent?.kind === 'or') out.push({ path, label: describePredicate(p), kind: 'alternative', node: p });
    childrenOf(p).forEach((c, i) => walk(c, `${path}.${i}`, p));
  };
  walk(logic, `${prefix}0`, undefined);
  return out;
}

function findByLabel(t: Trace, label: string): Trace | undefined {
  if (t.label === label) return t;
  for (const c of t.children) {
    const found = findByLabel(c, label);
    if (found) return found;
  }
  return undefined;
}

/** Map each predicate node to the trace node that evaluated it, where one can be found. */
export function alignTrace(logic: Predicate, trace: Trace): Map<Predicate, Trace> {
  const out = new Map<Predicate, Trace>();
  const align = (p: Predicate, t: Trace): void => {
    out.set(p, t);
    const pc = childrenOf(p);
    if (pc.length === 0) return;
    if (t.children.length === pc.length) {
      pc.forEach((c, i) => align(c, t.children[i]!));
      return;
    }
    // A wrapper node the predicate does not have: look through it.
    if (t.children.length === 1) {
      align(p, t.children[0]!);
      return;
    }
    for (const c of pc) {
      const found = c.label !== undefined ? findByLabel(t, c.label) : undefined;
      if (found) align(c, found);
    }
  };
  const start = logic.label !== undefined ? (findByLabel(trace, logic.label) ?? trace) : trace;
  align(logic, start);
  // Labelled nodes the structure did not reach may still be named in the trace.
  const visit = (p: Predicate): void => {
    if (!out.has(p) && p.label !== undefined) {
      const found = findByLabel(trace, p.label);
      if (found) out.set(p, found);
    }
    childrenOf(p).forEach(visit);
  };
  visit(logic);
  return out;
}

/** One event a case exercised the rule with, and the rule's trace of it (absent where the engine gives none). */
export interface Evidence {
  readonly event: Event;
  readonly trace?: Trace;
}

/** The events that raised alerts in positive cases, and every event of negative cases. */
export interface BranchEvidence {
  readonly positive: readonly Evidence[];
  readonly negative: readonly Evidence[];
}

type Verdict = boolean | null;
const merge = (a: Verdict, b: Verdict): Verdict => (a === true || b === true ? true : a === false || b === false ? false : null);

/** One event's view of the tree: the aligned trace first, the model where the trace has no node. */
interface Seen {
  readonly aligned: ReadonlyMap<Predicate, Trace>;
  readonly event: Event;
}

function held(node: Predicate, seen: Seen, model: ModelOptions): Verdict {
  const t = seen.aligned.get(node);
  if (t !== undefined) return t.result === true;
  const v = evaluate(node, seen.event, model);
  return v === 'U' ? null : v === 'T';
}

function selectionCovered(spec: BranchSpec, seen: readonly Seen[], model: ModelOptions): Verdict {
  if (seen.length === 0) return false;
  return seen.reduce<Verdict>((acc, s) => merge(acc, held(spec.node, s, model)), null);
}

/** A negative case depends on a filter when the filter matched (its `not` is false) while the rest of its clause held. */
function filterCovered(spec: BranchSpec, seen: readonly Seen[], model: ModelOptions): Verdict {
  if (seen.length === 0) return false;
  const rest = spec.clause ? childrenOf(spec.clause).filter((c) => c !== spec.node) : [];
  return seen.reduce<Verdict>((acc, s) => {
    const self = held(spec.node, s, model);
    const others = rest.map((c) => held(c, s, model));
    if (self === true || others.includes(false)) return merge(acc, false);
    return merge(acc, self === null || others.includes(null) ? null : true);
  }, null);
}

/**
 * @example branchCoverage(detector.constraints().logic, { positive: [{ event: hit, trace: detector.explain(hit) }], negative: [] })
 */
export function branchCoverage(logic: Predicate, evidence: BranchEvidence, model: ModelOptions = TWO_VALUED): BranchCoverage {
  const specs = enumerateBranches(logic);
  const see = (e: Evidence): Seen => ({ aligned: e.trace ? alignTrace(logic, e.trace) : new Map(), event: e.event });
  const pos = evidence.positive.map(see);
  const neg = evidence.negative.map(see);
  const branches: Branch[] = specs.map((s) => ({
    path: s.path,
    label: s.label,
    kind: s.kind,
    covered: s.kind === 'filter' ? filterCovered(s, neg, model) : selectionCovered(s, pos, model),
  }));
  return {
    total: branches.length,
    covered: branches.filter((b) => b.covered === true).length,
    unknown: branches.filter((b) => b.covered === null).length,
    branches,
  };
}
