/**
 * `evtx-read`: every .evtx of ../shared/evtx read from disk chunk by chunk, each
 * record decoded (Binary XML, templates, substitutions) to its JSON and its flat
 * Sigma event; files are read ahead on a second thread while this one decodes
 * (readEvtxFiles). `evtx-read-sync` reads them on this thread alone (readEvtxFile). The recordings are small (one chunk each), so one run reads the
 * whole set PASSES times; the answer is checked against the record count.
 *
 * `evtx-decode`: the same files' bytes read into memory beforehand (untimed) and
 * decoded the same way: what a record costs without opening and reading a file.
 * The recordings hold 1.2 records a file, so in `evtx-read` a file's open, read
 * and close weigh as much as decoding; the two rates side by side say which is which.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireShared } from './corpus.ts';
import type { EvtxItem } from '../events/evtx/index.ts';
import type { RunResult } from './workloads.ts';

// About 0.7 s a run: long enough for the decoder to reach its optimised steady state in each timed run.
const PASSES = 100;

function evtxFiles(): string[] {
  return readdirSync(requireShared('evtx'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.evtx'))
    .map((e) => join(e.parentPath, e.name));
}

/** A run of PASSES over `sources`, each pass read by `read` (the files in order, each file's items), checked against one untimed pass. */
async function workload<S>(sources: readonly S[], read: (sources: readonly S[]) => Iterable<Iterable<EvtxItem>>): Promise<() => RunResult> {
  const { flattenEvent } = await import('../events/evtx/index.ts');
  const count = (passes: number): { records: number; problems: number } => {
    let records = 0;
    let problems = 0;
    for (const items of read(passes === 1 ? sources : Array.from({ length: passes }, () => sources).flat()))
      for (const item of items) {
        if (item.kind === 'record') {
          flattenEvent(item.record.json);
          records++;
        } else problems++;
      }
    return { records, problems };
  };
  const expected = count(1);
  return () => {
    // CPU time beside the wall time: on a machine shared with other work it is the steadier rate.
    const cpu = process.cpuUsage();
    const { records, problems } = count(PASSES);
    const used = process.cpuUsage(cpu);
    const perCpuSecond = Math.round(records / ((used.user + used.system) / 1e6));
    return { units: records, ok: records === expected.records * PASSES && problems === 0, note: `${sources.length} files, ${expected.records} records, ${PASSES} passes, ${perCpuSecond.toLocaleString('en-US')} records per CPU second of the process (every thread)` };
  };
}

/** The files of all passes read as one list, so the reading thread starts once a run (readEvtxFiles). */
export async function evtxReadWorkload(): Promise<() => RunResult> {
  const { readEvtxFiles } = await import('../events/evtx/read-ahead.ts');
  return workload(evtxFiles(), function* (files) {
    for (const { items } of readEvtxFiles(files)) yield items;
  });
}

/** The same files read one after another on this thread alone (readEvtxFile), as before read-ahead. */
export async function evtxReadSyncWorkload(): Promise<() => RunResult> {
  const { readEvtxFile } = await import('../events/evtx/index.ts');
  return workload(evtxFiles(), (files) => files.map((f) => readEvtxFile(f)));
}

export async function evtxDecodeWorkload(): Promise<() => RunResult> {
  const { evtxItemsOf } = await import('../events/evtx/index.ts');
  return workload(evtxFiles().map((f) => new Uint8Array(readFileSync(f))), (bytes) => bytes.map((b) => evtxItemsOf(b)));
}
