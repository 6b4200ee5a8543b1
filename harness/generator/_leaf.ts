import { loadRules } from '../rules/load.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { leavesOf, leafTruth, modelOptionsFor } from './model/evaluate.ts';
import { describePredicate } from '../reports/describe-predicate.ts';
const set = loadRules(process.argv[2]!);
const c = compileRuleSet(set, { sigma: { placeholders: {} } });
const ev = JSON.parse(process.argv[3]!);
for (const d of c.detectors.values()) for (const l of leavesOf(d.constraints().logic)) { const t = leafTruth(l, ev, modelOptionsFor(d.rule)); if (t !== 'F' || process.argv[4]) console.log(t, describePredicate(l), JSON.stringify(l).slice(0, 200)); }
