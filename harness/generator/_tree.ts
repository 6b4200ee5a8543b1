import { loadRules } from '../rules/load.ts';
import { compileRuleSet } from '../engines/registry.ts';
import type { Predicate } from '../engines/common/predicate.ts';
import { describePredicate } from '../reports/describe-predicate.ts';
const set = loadRules(process.argv[2]!);
const c = compileRuleSet(set, { sigma: { placeholders: {} } });
const show = (p: Predicate, ind: string, budget: { n: number }): void => {
  if (budget.n-- <= 0) return;
  if (p.kind === 'and' || p.kind === 'or') { console.log(`${ind}${p.kind} ${p.label ?? ''} (${p.children.length})`); p.children.slice(0, 6).forEach((x) => show(x, ind + '  ', budget)); }
  else if (p.kind === 'not') { console.log(`${ind}not ${p.label ?? ''}`); show(p.child, ind + '  ', budget); }
  else console.log(ind + describePredicate(p) + (p.kind === 'match' ? ` [${p.mode}]` : ''));
};
for (const d of c.detectors.values()) { show(d.constraints().logic, '', { n: 60 }); console.log(String(d.rule.body.query).slice(0, 800)); }
