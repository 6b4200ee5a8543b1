import { loadRules } from '../rules/load.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { draftScenario } from './scaffold.ts';
import { satisfies } from '../runner/verdict.ts';
import { leavesOf } from './model/evaluate.ts';
const set = loadRules(process.argv[2]!);
const c = compileRuleSet(set, { sigma: { placeholders: {} } });
const cats: Record<string, string[]> = {};
for (const d of c.detectors.values()) {
  const cons = d.constraints();
  if (cons.aggregate) continue;
  const draft = draftScenario(d);
  const pos = draft.cases.filter((x) => x.role === 'positive');
  const fails = draft.cases.filter((x) => !satisfies(x.expect, d.detect(x.events, { history: x.history ?? [], indicators: [] })));
  if (pos.length && !fails.length) continue;
  const opaque = leavesOf(cons.logic).filter((l) => l.kind === 'opaque').map((l) => (l as { description: string }).description);
  const key = !pos.length ? (opaque.length ? 'nopos-opaque' : 'nopos') : 'engine-disagrees';
  (cats[key] ??= []).push(`${d.rule.source.file} ${opaque.slice(0, 2).join(' | ').slice(0, 150)} ${fails.map((f) => f.name).join(';').slice(0, 200)}`);
}
for (const [k, v] of Object.entries(cats)) { console.log(k, v.length); console.log('  ' + v.slice(0, Number(process.argv[3] ?? 10)).join('\n  ')); }
