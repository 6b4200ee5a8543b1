import { loadRules } from '../rules/load.ts';
import { compileSigmaRule } from '../engines/sigma/index.ts';
const set = loadRules(process.argv[2]!);
for (const r of set.rules) {
  if (r.format !== 'sigma' || r.kind !== 'event') continue;
  const d = compileSigmaRule(r, [], { placeholders: {} });
  console.log(r.source.file);
  console.log(JSON.stringify(d.constraints()));
}
