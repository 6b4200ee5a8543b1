import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Detector } from '../../../core/detector.ts';
import { LocatedError } from '../../../core/located-error.ts';
import type { Rule } from '../../../core/rule.ts';
import { loadRules, loadRuleText } from '../../../rules/load.ts';
import { locateInYaml } from '../../../rules/yaml-locate.ts';
import { compileSigmaRule } from '../index.ts';
import { compileCorrelation } from './index.ts';
import { at, ruleOf } from './test-fixtures.ts';
import { SHARED } from '../../../core/shared-dir.ts';

/**
 * The real loader and Sigma engine around correlations. (registry.ts is not
 * imported: it pulls in every engine; `compileInRounds` below does what its
 * compileCorrelations does, through the same resolve contract.)
 */
interface Compiled {
  readonly detectors: Map<string, Detector>;
  readonly errors: Map<string, LocatedError>;
}

function compileInRounds(rules: readonly Rule[]): Compiled {
  const detectors = new Map<string, Detector>();
  const byRef = new Map<string, Detector>();
  const accept = (d: Detector) => {
    detectors.set(d.rule.id, d);
    byRef.set(d.rule.id, d);
    if (d.rule.name) byRef.set(d.rule.name, d);
  };
  for (const r of rules) if (r.kind !== 'correlation') accept(compileSigmaRule(r, [], { placeholders: {} }));
  let todo = rules.filter((r) => r.kind === 'correlation');
  const errors = new Map<string, LocatedError>();
  while (todo.length > 0) {
    const next = todo.filter((r) => {
      try {
        accept(compileCorrelation(r, (ref) => byRef.get(ref), {}));
        errors.delete(r.id);
        return false;
      } catch (e) {
        if (!(e instanceof LocatedError)) throw e;
        errors.set(r.id, e);
        return true;
      }
    });
    if (next.length === todo.length) break;
    todo = next;
  }
  return { detectors, errors };
}

const examples = join(SHARED, 'schemas', 'sigma', 'examples');
const shared = existsSync(examples);
if (!shared) console.warn(`correlation example tests skipped: ${examples} not found (../shared is beside the checkout in CI)`);

describe.skipIf(!shared)('Sigma specification correlation examples (needs ../shared)', () => {
  const dir = resolve(examples, 'correlation');
  const files = shared ? readdirSync(dir).filter((f) => f.endsWith('.yml')) : [];
  const baseSet = shared ? loadRules(resolve(examples, 'rules', 'rule_1.yml')) : undefined;
  const base: Detector | undefined = baseSet?.rules[0] ? compileSigmaRule(baseSet.rules[0], [], { placeholders: {} }) : undefined;

  it('finds the eight example files and their base rule', () => {
    expect(files.length).toBe(8);
    expect(base?.matches({ Provider_Name: 'Application Error' })).toBe(true);
  });

  it.each(files)('%s compiles (every reference bound to the example base rule)', (file) => {
    const body = parse(readFileSync(resolve(dir, file), 'utf8')) as Record<string, unknown>;
    const d = compileCorrelation(ruleOf(file, body), () => base, {});
    const c = body.correlation as Record<string, unknown>;
    expect(d.constraints().aggregate?.type).toBe(c.type);
    expect(d.references).toEqual(c.rules);
    expect(d.generate).toBe(false);
  });

  it('loaded with loadRules, an example referencing an absent rule fails, located at its rules entry', () => {
    const set = loadRules(dir);
    const rule = set.rules.find((r) => r.id === '0e95725d-7320-415d-80f7-004da920fc12');
    const err = rule && compileInRounds([rule]).errors.get(rule.id);
    expect(err?.message).toContain('5638f7c0-ac70-491d-8465-2a65075e0d86');
    const text = set.texts.get(rule!.source.file) ?? '';
    expect(locateInYaml(rule!.source.file, text, rule!.document, err!.path).line).toBe(6);
  });
});

const SPEC_EXAMPLE = `title: Correlation - Multiple Failed Logins Followed by Successful Login
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
correlation:
    type: temporal_ordered
    rules:
        - multiple_failed_login
        - successful_login
    group-by:
        - User
    timespan: 10m
level: high
---
title: Multiple failed logons
id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
name: multiple_failed_login
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - User
    timespan: 10m
    condition:
        gte: 3
---
title: Single failed login
id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
name: failed_login
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID:
            - 529
            - 4625
    condition: selection
---
title: Successful login
id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
name: successful_login
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID:
            - 528
            - 4624
    condition: selection
`;

describe('the specification chained example through loader and Sigma engine', () => {
  const loaded = loadRuleText('mr_failed_then_success.yml', SPEC_EXAMPLE);
  const compiled = compileInRounds(loaded.rules);
  const outer = compiled.detectors.get('b180ead8-d58f-40b2-ae54-c8940995b9b6');
  const logon = (min: number, id: number, user: string) => ({ '@timestamp': at(min), EventID: id, User: user });

  it('compiles every document (the outer correlation in a later round)', () => {
    expect(loaded.diagnostics).toEqual([]);
    expect([...compiled.errors.values()]).toEqual([]);
    expect(compiled.detectors.size).toBe(4);
  });
  it('alerts on three failures then a success for one user, not for another', () => {
    const events = [logon(0, 4625, 'bob'), logon(1, 529, 'bob'), logon(2, 4625, 'bob'), logon(3, 4624, 'alice'), logon(4, 4624, 'bob')];
    expect(outer?.detect(events)).toEqual([{ rule: 'b180ead8-d58f-40b2-ae54-c8940995b9b6', events: [0, 1, 2, 4] }]);
    expect(outer?.detect(events.slice(0, 4))).toEqual([]);
  });
  it('a bad timespan is reported at its line', () => {
    const text = SPEC_EXAMPLE.replace('timespan: 10m\nlevel', 'timespan: 10 minutes\nlevel');
    const bad = compileInRounds(loadRuleText('bad.yml', text).rules);
    const err = bad.errors.get('b180ead8-d58f-40b2-ae54-c8940995b9b6');
    expect(err?.message).toContain("'10 minutes'");
    expect(locateInYaml('bad.yml', text, 0, err!.path).line).toBe(10);
  });
});
