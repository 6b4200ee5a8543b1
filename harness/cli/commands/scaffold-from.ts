import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../../config.ts';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import type { Detector } from '../../core/detector.ts';
import { streamEvents, warnTo } from '../../events/read-events.ts';
import { draftFromRecording } from '../../generator/from-recording.ts';
import { appendDraftCases, renderDraft, type DraftCase } from '../../generator/scaffold.ts';
import { rulesShareEvents } from '../../runner/logsource.ts';
import { satisfies } from '../../runner/verdict.ts';
import { EXIT, type Io } from '../command.ts';

export interface FromRecording {
  readonly detector: Detector;
  /** Every alerting rule loaded beside it (for also_fires). */
  readonly alerting: readonly Detector[];
  readonly recording: string;
  readonly out: string;
  readonly schema: string;
  readonly append: boolean;
  readonly force: boolean;
}

/**
 * `scaffold <rule> --from <recording>`: cases drafted from a recording's real events
 * (generator/from-recording.ts), checked by the engine like every draft, other rules
 * firing on them declared in also_fires; a new scenario file, or with `--append`
 * added to the existing one.
 */
export function scaffoldFromRecording(a: FromRecording, io: Io): number {
  const { detector, out } = a;
  const rule = detector.rule;
  if (existsSync(out) && !a.append && !a.force) {
    io.err(`${out} already exists — not overwritten (use --append to add the recorded cases, or --force to replace it)`);
    return EXIT.badInput;
  }
  const config = loadConfig();
  const events = streamEvents(a.recording, warnTo((t) => io.err(t)));
  const draft = draftFromRecording(detector, a.recording, events, config.sigma.timestampFields ? { timestampFields: config.sigma.timestampFields } : {});
  const notes = [...draft.notes];
  const others = a.alerting.filter((d) => d.rule.id !== rule.id && rulesShareEvents(rule, d.rule));
  const cases: DraftCase[] = [];
  for (const c of draft.cases) {
    const alerts = detector.detect(c.events);
    if (!satisfies(c.expect, alerts)) {
      notes.push(`left out case '${c.name}': it was drafted to ${c.expect.kind === 'none' ? 'not alert' : 'alert'}, the engine gave ${alerts.length} — check it by hand`);
      continue;
    }
    const also = others.filter((d) => d.detect(c.events).length > 0).map((d) => d.rule.id);
    cases.push(also.length ? { ...c, alsoFires: also } : c);
  }
  for (const n of notes) io.err(`note: ${n}`);
  if (cases.length === 0) {
    io.err(`${a.recording}: nothing could be drafted for '${rule.title}'`);
    return EXIT.badInput;
  }
  const pos = cases.filter((c) => c.role === 'positive').length;
  const summary = `${pos} positive, ${cases.length - pos} negative case${cases.length - pos === 1 ? '' : 's'} from ${a.recording} for '${rule.title}'`;
  if (a.append && existsSync(out)) {
    writeFileAtomic(out, appendDraftCases(readFileSync(out, 'utf8'), cases, `scaffold --from ${a.recording}`));
    io.out(`added to ${out}: ${summary}`);
    return EXIT.ok;
  }
  writeFileAtomic(out, renderDraft({ id: rule.id, title: rule.title, file: rule.source.file }, out, a.schema, { cases, notes }));
  io.out(`wrote ${out}: ${summary}`);
  return EXIT.ok;
}
