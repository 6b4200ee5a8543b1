import { renderDiagnostic } from '../../core/diagnostics.ts';
import { loadProject } from '../../project/load-project.ts';
import { EXIT, type Command } from '../command.ts';

const usage = `Usage: rule-harness lint [--rules <dir>] [--scenarios <dir>] [--strict]

Load and compile every rule and scenario and list every problem at once
(file:line:column, what is wrong, the source line). Exit 2 when any error.
Warnings (legal but likely mistaken: a '1 of filter_*' that selects nothing,
a correlation condition with several comparisons) are listed, exit 0.

  --strict   rules without a scenario file are errors too`;

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check every rule and scenario file; list all problems at once',
  usage,
  options: { rules: { type: 'string', default: 'rules' }, scenarios: { type: 'string', default: 'scenarios' }, strict: { type: 'boolean', default: false } },
  run({ values }, io) {
    const project = loadProject({ rules: String(values.rules), scenarios: String(values.scenarios) });
    const diagnostics = [...project.diagnostics];
    if (values.strict) {
      for (const r of project.rulesWithoutScenarios) diagnostics.push({ code: 'scenario/missing', severity: 'error', message: `rule '${r.title}' has no scenario file`, span: r.source, ruleId: r.id });
    }
    for (const d of diagnostics) io.out(renderDiagnostic(d, d.span ? project.rules.texts.get(d.span.file) : undefined));
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    const cases = project.scenarios.reduce((n, s) => n + s.cases.length, 0);
    io.out(`${project.rules.rules.length} rules, ${project.scenarios.length} scenario files, ${cases} cases: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
    if (project.compiled.notEvaluable.length > 0) {
      io.out(`not evaluable (${project.compiled.notEvaluable.length}):`);
      for (const n of project.compiled.notEvaluable) io.out(`  ${n.rule.source.file} [${n.rule.id}]: ${n.reason}`);
    }
    return errors > 0 ? EXIT.badInput : EXIT.ok;
  },
};
