import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { loadProject } from '../../project/load-project.ts';
import { alsoFiresChanges, type AlsoFiresChange } from '../../runner/also-fires-update.ts';
import { CrossFireIndex } from '../../runner/crossfire-index.ts';
import { editAlsoFires } from '../../scenarios/edit-also-fires.ts';
import { EXIT, type Command } from '../command.ts';

const usage = `Usage: rule-harness accept [--check] [--rules <dir>] [--scenarios <dir>]   (default: the project's rules/ and scenarios/)
       npm test -- --update-also-fires

Accept what the cross-fire pass found, like a snapshot update: every other
rule that alerts on a case's events without being declared is added to the
case's also_fires, and every declared rule that no longer alerts is removed.
The scenario files keep their comments and formatting; every file and case
changed is listed. Review the diff before committing: an undeclared alert may
be a rule that is too broad rather than a legitimate overlap.

  --check   list what would change and exit 1 if anything would; write nothing`;

function describe(c: AlsoFiresChange): string {
  return [...c.add.map((a) => `+ ${a.id} (${a.title})`), ...c.remove.map((id) => `- ${id}`)].join(', ');
}

export const acceptCommand: Command = {
  name: 'accept',
  summary: "write the also_fires declarations the cross-fire pass calls for (and drop stale ones)",
  usage,
  options: { check: { type: 'boolean', default: false }, rules: { type: 'string' }, scenarios: { type: 'string' } },
  run({ values }, io) {
    const project = loadProject({ ...(typeof values.rules === 'string' ? { rules: values.rules } : {}), ...(typeof values.scenarios === 'string' ? { scenarios: values.scenarios } : {}) });
    const cross = new CrossFireIndex([...project.compiled.detectors.values()], project.compiled.silentBases);
    const changes = alsoFiresChanges(project, cross);
    const byFile = new Map<string, AlsoFiresChange[]>();
    for (const c of changes) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
    for (const [file, list] of byFile) {
      io.out(`${file}:`);
      for (const c of list) io.out(`  case '${c.caseName}' (line ${c.line}): ${describe(c)}`);
      if (!values.check) writeFileAtomic(join(project.root, file), editAlsoFires(readFileSync(join(project.root, file), 'utf8'), list.map((c) => ({ index: c.index, add: c.add.map((a) => a.id), remove: c.remove }))));
    }
    const added = changes.reduce((n, c) => n + c.add.length, 0);
    const removed = changes.reduce((n, c) => n + c.remove.length, 0);
    const verb = values.check ? 'would change' : 'changed';
    io.out(changes.length === 0 ? 'every also_fires declaration matches the cross-fire pass: nothing to change' : `${verb} ${changes.length} case(s) in ${byFile.size} file(s): ${added} declaration(s) added, ${removed} removed`);
    return values.check && changes.length > 0 ? EXIT.failures : EXIT.ok;
  },
};
