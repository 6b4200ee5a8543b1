import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import { testRule } from '../core/rule-fixture.ts';
import { esqlRuleDetector } from '../engines/elastic/esql-rule.ts';
import { draftScenario } from './scaffold.ts';

/** The rule's detector (the real engine) and its draft. */
function drafted(query: string): { d: Detector; positives: readonly (readonly Record<string, unknown>[])[]; notes: readonly string[] } {
  const rule = testRule({ format: 'elastic', language: 'esql', kind: 'esql', body: { query, type: 'esql', from: 'now-9m' } });
  const c = esqlRuleDetector(rule);
  if (!c.ok) throw new Error(c.reason);
  const draft = draftScenario(c.detector);
  return { d: c.detector, positives: draft.cases.filter((k) => k.role === 'positive').map((k) => k.events), notes: draft.notes };
}

const fires = (d: Detector, events: readonly Record<string, unknown>[]): boolean => d.detect(events, { history: [], indicators: [] }).length > 0;

describe('positives edited until the engine passes the row-level WHERE clauses', () => {
  test('a GROK key over URL_DECODE, REPLACEd and RLIKEd, while the source keeps an earlier LIKE', () => {
    const { d, positives, notes } = drafted(`FROM logs-k8s* METADATA _id
      | WHERE obj.sub == "exec" AND uri LIKE "*command=*"
      | EVAL decoded = URL_DECODE(uri)
      | GROK decoded "%{DATA}/exec\\\\?%{DATA:raw}&(?:stdin|stdout)=%{GREEDYDATA}"
      | EVAL cmd = REPLACE(REPLACE(raw, "command=", ""), "&", " ")
      | WHERE cmd IS NOT NULL AND cmd RLIKE ".*(curl|wget).*" AND NOT cmd RLIKE ".*localhost.*"`);
    expect(notes.some((n) => n.includes('edited until the engine passes'))).toBe(true);
    expect(positives.some((p) => fires(d, p))).toBe(true);
  });
  test('a field compared with another field', () => {
    const { d, positives } = drafted('FROM logs-aws* METADATA _id | WHERE event.action == "CreateAccessKey" AND user.name != user.target.name');
    expect(positives.some((p) => fires(d, p))).toBe(true);
  });
  test('a LENGTH bound on an EVAL output, with the text still holding what an earlier clause asks', () => {
    const { d, positives } = drafted('FROM logs-* METADATA _id | WHERE process.name == "node" | EVAL c = TO_LOWER(process.command_line) | WHERE c LIKE "*atob(*" | EVAL n = LENGTH(c) | WHERE n >= 300');
    expect(positives.some((p) => fires(d, p))).toBe(true);
  });
  test('KQL with not, before a STATS', () => {
    const { d, positives } = drafted('FROM logs-* | WHERE KQL("""event.type : "start" and not event.action : "fork" """) | STATS n = COUNT(*) BY host.name');
    expect(positives.some((p) => fires(d, p))).toBe(true);
  });
  test('a ratio of REPLACE-counted matches to the length: texts with more and more matches are tried', () => {
    const { d, positives } = drafted(`FROM logs-ps* METADATA _id | WHERE event.code == "4104"
      | EVAL len = LENGTH(ps.text) | WHERE len > 100
      | EVAL tmp = REPLACE(ps.text, "[0-9]", "🔥") | EVAL n = len - LENGTH(REPLACE(tmp, "🔥", ""))
      | EVAL r = n::double / len::double | WHERE r > 0.5`);
    expect(positives.some((p) => fires(d, p))).toBe(true);
  });
  test('no positive from the model: the search starts from an empty event', () => {
    const { d, positives, notes } = drafted('FROM logs-* METADATA _id | EVAL len = LENGTH(t) | WHERE len > 50 | EVAL r = (len - LENGTH(REPLACE(t, "[a-z]", "")))::double / len::double | WHERE r > 0.9');
    expect(notes.join(' ')).toMatch(/edited|searching from an empty event/);
    expect(positives.some((p) => fires(d, p))).toBe(true);
  });
});
