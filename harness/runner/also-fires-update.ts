import type { Project } from '../project/load-project.ts';
import { crossFireCase } from './crossfire.ts';
import type { CrossFireIndex } from './crossfire-index.ts';

/**
 * What the cross-fire pass says each case's `also_fires` should be: the other
 * rules that alert on its events without being declared (to add) and the
 * declared ones that no longer alert (to remove). `rule-harness accept`
 * writes these; a normal run only reports them.
 */
export interface AlsoFiresChange {
  readonly file: string;
  /** 0-based position in the file's `cases`. */
  readonly index: number;
  readonly caseName: string;
  readonly line: number;
  readonly add: readonly { readonly id: string; readonly title: string }[];
  readonly remove: readonly string[];
}

export function alsoFiresChanges(project: Project, cross: CrossFireIndex): AlsoFiresChange[] {
  const out: AlsoFiresChange[] = [];
  for (const scenario of project.scenarios) {
    const owner = project.compiled.detectors.get(scenario.rule);
    if (!owner) continue; // a rule that does not compile: the suite reports it; nothing to decide here
    scenario.cases.forEach((c, index) => {
      const r = crossFireCase(owner, c, cross);
      if (r.surprises.length === 0 && r.stale.length === 0) return;
      out.push({
        file: scenario.file,
        index,
        caseName: c.name,
        line: c.line,
        add: r.surprises.map((s) => ({ id: s.rule.rule.id, title: s.rule.rule.title })),
        remove: r.stale.map((s) => s.ruleId),
      });
    });
  }
  return out;
}
