import { loadRules } from '../rules/load.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { draftScenario } from './scaffold.ts';
import { evaluate, modelOptionsFor } from './model/evaluate.ts';
import { renderTrace } from '../runner/render-trace.ts';
const set = loadRules(process.argv[2]!);
const c = compileRuleSet(set, { sigma: { placeholders: {} } });
for (const d of c.detectors.values()) {
  const draft = draftScenario(d);
  for (const x of draft.cases) {
    const alerts = d.detect(x.events, { history: x.history ?? [], indicators: [] });
    const m = evaluate(d.constraints().logic, x.events[0]!, modelOptionsFor(d.rule));
    console.log(x.name, x.expect.kind, 'engine', alerts.length, 'model', m);
    if (process.argv[3] && x.name.includes(process.argv[3])) { console.log(JSON.stringify(x.events, null, 1)); console.log(renderTrace(d.explain(x.events[0]!), '  ')); }
  }
}
