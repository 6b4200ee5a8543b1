/**
 * `evtx-read`: every .evtx of ../shared/evtx read from disk chunk by chunk, each
 * record decoded (Binary XML, templates, substitutions) to its JSON and its flat
 * Sigma event. The recordings are small (one chunk each), so one run reads the
 * whole set PASSES times; the answer is checked against the record count.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireShared } from './corpus.ts';
import type { RunResult } from './workloads.ts';

const PASSES = 20;

export async function evtxReadWorkload(): Promise<() => RunResult> {
  const dir = requireShared('evtx');
  const files = readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.evtx'))
    .map((e) => join(e.parentPath, e.name));
  const { readEvtxFile, flattenEvent } = await import('../events/evtx/index.ts');
  const countOnce = (): { records: number; problems: number } => {
    let records = 0;
    let problems = 0;
    for (const f of files)
      for (const item of readEvtxFile(f)) {
        if (item.kind === 'record') {
          flattenEvent(item.record.json);
          records++;
        } else problems++;
      }
    return { records, problems };
  };
  const expected = countOnce();
  return () => {
    let records = 0;
    let problems = 0;
    // CPU time beside the wall time: on a machine shared with other work it is the steadier rate.
    const cpu = process.cpuUsage();
    for (let p = 0; p < PASSES; p++) {
      const r = countOnce();
      records += r.records;
      problems += r.problems;
    }
    const used = process.cpuUsage(cpu);
    const perCpuSecond = Math.round(records / ((used.user + used.system) / 1e6));
    return { units: records, ok: records === expected.records * PASSES && problems === 0, note: `${files.length} files, ${expected.records} records, ${PASSES} passes, ${perCpuSecond.toLocaleString('en-US')} records per CPU second` };
  };
}
