import { loadRules } from '../rules/load.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { draftScenario } from './scaffold.ts';
import { satisfies } from '../runner/verdict.ts';
let t = Date.now();
const which = process.argv[2]!;
const set = loadRules(which);
console.log('load', set.rules.length, Date.now() - t); t = Date.now();
const c = compileRuleSet(set, { sigma: { placeholders: {} } });
console.log('compile', c.detectors.size, c.notEvaluable.length, Date.now() - t); t = Date.now();
let ok = 0, bad = 0, unsup = 0, none = 0;
const reasons: string[] = [];
for (const d of c.detectors.values()) {
  if (d.constraints().aggregate) continue;
  let draft;
  try { draft = draftScenario(d); } catch (e) { reasons.push(`${d.rule.source.file}: THROW ${(e as Error).stack}`); bad++; continue; }
  if (draft.unsupported) { unsup++; continue; }
  if (draft.cases.length === 0 || !draft.cases.some((x) => x.role === 'positive')) { none++; reasons.push(`${d.rule.source.file}: no positive: ${draft.notes.join('; ')}`); continue; }
  const fails = draft.cases.filter((x) => !satisfies(x.expect, d.detect(x.events, { history: x.history ?? [], indicators: [] })));
  if (fails.length) { bad++; reasons.push(`${d.rule.source.file}: ${fails.map((f) => `${f.name} ${JSON.stringify(f.events)}`).join(' | ').slice(0, 600)}`); } else ok++;
}
console.log('scaffold', Date.now() - t, { ok, bad, unsup, none });
console.log(reasons.slice(0, Number(process.argv[3] ?? 30)).join('\n'));
