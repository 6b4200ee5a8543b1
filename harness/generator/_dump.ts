import { loadProject } from '../project/load-project.ts';
const p = loadProject();
const ids = process.argv.slice(2);
let n = 0;
for (const d of p.compiled.detectors.values()) {
  if (ids.length ? !ids.some((i) => d.rule.source.file.includes(i)) : n++ > 2) continue;
  console.log(d.rule.source.file, d.rule.kind, d.rule.language);
  console.log(JSON.stringify(d.constraints(), null, 1).slice(0, 3000));
}
console.log(p.diagnostics.filter(d=>d.severity==='error').length, 'errors', p.compiled.detectors.size, 'detectors', p.scenarios.length, 'scenarios');
