import { and, not, or, type Predicate } from '../engines/common/predicate.ts';
import { STAR, text } from '../engines/common/pattern.ts';
import { synthesize } from './synthesize.ts';
import { nearMisses } from './near-miss.ts';
import { topBranches } from './branches.ts';
import { TWO_VALUED, KLEENE } from './model/evaluate.ts';
import { seededFaker } from './realistic.ts';
import { planVariants, applyVariant, variantArbitrary } from './variants.ts';
import fc from 'fast-check';
const m = (field: string, pattern: any, mode: 'insensitive'|'sensitive' = 'insensitive'): Predicate => ({ kind: 'match', field, pattern, mode });
const logic = and([
  or([m('Image', [STAR, text('\\cmd.exe')]), m('OriginalFileName', [text('Cmd.Exe')])], 'selection_img'),
  m('CommandLine', [STAR, text(' /c '), STAR], 'insensitive'),
  not(or([m('ParentImage', [STAR, text('\\explorer.exe')]), { kind: 'cidr', field: 'SourceIp', network: '10.0.0.0/8' }]), 'filter'),
]);
for (const b of topBranches(logic)) {
  const ctx = { model: TWO_VALUED, dialect: 'windows' as const, faker: seededFaker(1), style: 'nested' as const };
  const ev = synthesize(b.predicate, true, {}, ctx);
  console.log(b.label, JSON.stringify(ev));
  if (ev) for (const nm of nearMisses(logic, ev, { model: TWO_VALUED, dialect: 'windows' })) console.log('  NM', nm.description, JSON.stringify(nm.event));
}
const eql = and([m('event.category', [text('process')], 'sensitive'), m('process.args', [text('-enc')]), m('process.args', [text('http'), STAR]), not(m('process.parent.name', [text('explorer.exe')])), {kind:'range', field:'process.pid', op:'gt', value: 100}]);
const ctx2 = { model: KLEENE, dialect: 'ecs' as const, faker: seededFaker(2), style: 'nested' as const };
const ev2 = synthesize(eql, true, {}, ctx2);
console.log(JSON.stringify(ev2));
for (const nm of nearMisses(eql, ev2!, { model: KLEENE, dialect: 'ecs' })) console.log('  NM', nm.description, JSON.stringify(nm.event));
const plan = planVariants({ rule: { format: 'sigma', language: 'sigma', kind: 'event', body: {} }, constraints: { logic } }, { events: [{ Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe /c whoami', ParentImage: 'C:\\x\\winword.exe', Tags: ['a','b'] }], expect: { kind: 'alert' } });
console.log(plan.kinds, plan.skipped);
for (const v of fc.sample(variantArbitrary(plan), { seed: 3, numRuns: 8 })) console.log(JSON.stringify(v.variant));
