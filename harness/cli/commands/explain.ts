import { existsSync } from 'node:fs';
import { HarnessError } from '../../core/diagnostics.ts';
import { readEvents, streamEvents, warnTo } from '../../events/read-events.ts';
import { renderTrace } from '../../runner/render-trace.ts';
import { EXIT, stringList, UsageError, type Command } from '../command.ts';
import { pipelineMappingOf } from '../../engines/sigma/index.ts';
import { renderMapping } from '../../engines/sigma/pipeline/render.ts';
import { loadDetectors } from '../load-detectors.ts';
import { parseIsoInstant } from '../../mapping/date-format.ts';

const usage = `Usage: rule-harness explain <rule file | rule id> <event file> [--rules <dir>] [--pipeline <name|file>]…

<event file>: a JSON array, JSON Lines, JSON documents or a Windows event log
(.evtx); '-' reads standard input.

Show, for every event in the file, how the rule's logic evaluates: which
selection / clause held, which did not, and why. An ES|QL rule runs once over
all the events (one rule execution): the events its window lets in, then the
table after each pipe stage and, for a WHERE, which rows it dropped and why.

  <rule file>   a rule file (every rule in it is explained)
  <rule id>     a rule id (or Sigma name) looked up under --rules (default rules/)
  --pipeline    explain the Sigma rule as this processing pipeline maps it (repeatable):
                which field became which, which conditions were added
  --now         when an ES|QL rule runs (ISO 8601); default: the latest event @timestamp`;

export const explainCommand: Command = {
  name: 'explain',
  summary: "trace a rule's logic over each event of a file",
  usage,
  options: { rules: { type: 'string', default: 'rules' }, pipeline: { type: 'string', multiple: true }, now: { type: 'string' } },
  run({ values, positionals }, io) {
    const [target, eventsFile] = positionals;
    if (!target || !eventsFile || positionals.length > 2) throw new UsageError(usage);
    const now = values.now === undefined ? undefined : parseIsoInstant(String(values.now));
    if (values.now !== undefined && now === undefined) throw new UsageError(`--now must be an ISO time, not '${String(values.now)}'`);
    const fromFile = existsSync(target);
    const loaded = loadDetectors(fromFile ? target : String(values.rules), stringList(values.pipeline));
    const chosen = fromFile ? loaded.detectors : loaded.detectors.filter((d) => d.rule.id === target || d.rule.name === target);
    if (chosen.length === 0) {
      const why = [...loaded.diagnostics, ...loaded.rejected].find((d) => d.ruleId === target)?.message;
      throw new HarnessError([{ code: 'cli/unknown-rule', severity: 'error', message: why ? `rule ${target} does not compile: ${why}` : `no rule '${target}' under ${String(values.rules)}` }]);
    }
    // A file is streamed (once per rule); standard input can be read only once, so it is held.
    const warn = warnTo((t) => io.err(t));
    const events = eventsFile === '-' ? readEvents(eventsFile, warn) : streamEvents(eventsFile, warn);
    for (const d of loaded.rejected.filter((r) => fromFile || r.ruleId === target)) io.err(`not evaluable: ${d.message}`);
    for (const d of chosen) {
      io.out(`${d.rule.title} [${d.rule.id}] (${d.rule.source.file})`);
      const mapping = pipelineMappingOf(d);
      if (mapping) io.out(renderMapping(mapping));
      if (d.explainCase) {
        // One execution over the whole file (ES|QL): the table after each stage.
        io.out(renderTrace(d.explainCase([...events], now === undefined ? {} : { now }), '  '));
        continue;
      }
      let i = 0;
      for (const ev of events) io.out(`event ${i++}:\n${renderTrace(d.explain(ev), '  ')}`);
    }
    return EXIT.ok;
  },
};
