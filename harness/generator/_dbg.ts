import { loadRules } from '../rules/load.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { topBranches } from './branches.ts';
import { synthesize } from './synthesize.ts';
import { seededFaker } from './realistic.ts';
import { evaluate, TWO_VALUED } from './model/evaluate.ts';
const set = loadRules(process.argv[2]!);
const c = compileRuleSet(set, { sigma: { placeholders: {} } });
for (const d of c.detectors.values()) {
  const logic = d.constraints().logic;
  for (const b of topBranches(logic)) {
    const ctx = { model: TWO_VALUED, dialect: 'windows' as const, faker: seededFaker(1), style: 'dotted' as const };
    const ev = synthesize(b.predicate, true, {}, ctx);
    console.log(b.label.slice(0, 80), JSON.stringify(ev));
  }
  console.log(JSON.stringify(logic).slice(0, Number(process.argv[3] ?? 2000)));
}
