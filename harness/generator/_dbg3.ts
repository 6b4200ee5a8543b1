import { loadRules } from '../rules/load.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { topBranches } from './branches.ts';
import { synthesize } from './synthesize.ts';
import { seededFaker } from './realistic.ts';
import { evaluate, leavesOf, leafTruth, modelOptionsFor } from './model/evaluate.ts';
import { describePredicate } from '../reports/describe-predicate.ts';
const set = loadRules(process.argv[2]!);
const c = compileRuleSet(set, { sigma: { placeholders: {} } });
for (const d of c.detectors.values()) {
  const logic = d.constraints().logic;
  const model = modelOptionsFor(d.rule);
  const b = topBranches(logic)[0]!;
  const ctx = { model: { ...model, witness: undefined }, dialect: 'ecs' as const, faker: seededFaker(1), style: 'nested' as const };
  const ev = synthesize(b.predicate, true, {}, ctx)!;
  console.log(JSON.stringify(ev), evaluate(logic, ev, model), evaluate(b.predicate, ev, model));
  for (const l of leavesOf(logic)) { const t = leafTruth(l, ev, model); if (t === 'U' || t === 'T') console.log(' ', t, describePredicate(l)); }
}
