/**
 * `events-stream`: a generated JSON Lines file through `match`'s own path (the
 * streaming reader and StreamMatcher) with every shipped rule; `events-stream-baseline`:
 * the same file the way `match` read it before (the whole file as one string, all
 * events parsed, then each rule's `detect`). The file's size is
 * RULE_HARNESS_STREAM_MB (default 256; the baseline cannot read files over ~512 MB,
 * V8's longest string). The file is written once per size under the system's
 * temporary directory, untimed. RULE_HARNESS_STREAM_FILE runs a file of your own
 * instead (JSON Lines, JSON or .evtx; events-stream only).
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Detector } from '../core/detector.ts';
import type { RunResult } from './workloads.ts';

const PROJECT = join(import.meta.dirname, '../..');

export function streamFileMb(): number {
  const mb = Number(process.env.RULE_HARNESS_STREAM_MB ?? 256);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`RULE_HARNESS_STREAM_MB must be a positive number of megabytes, not '${process.env.RULE_HARNESS_STREAM_MB}'`);
  return mb;
}

/** The generated file (written on first use): realistic Windows / Sysmon noise events, each with its own record id. */
async function generatedFile(mb: number): Promise<{ file: string; events: number }> {
  const file = join(tmpdir(), `rule-harness-events-stream-${mb}mb.jsonl`);
  const meta = `${file}.count`;
  if (existsSync(file) && existsSync(meta)) return { file, events: Number(readFileSync(meta, 'utf8')) };
  const { windowsNoiseEvents } = await import('../generator/noise/windows-events.ts');
  const base = windowsNoiseEvents(20_000, 7);
  const target = mb * 1024 * 1024;
  const fd = openSync(`${file}.tmp`, 'w');
  let written = 0;
  let events = 0;
  try {
    while (written < target) {
      const lines: string[] = [];
      for (let i = 0; i < 10_000; i++) lines.push(JSON.stringify({ ...base[(events + i) % base.length], EventRecordID: events + i }));
      const block = `${lines.join('\n')}\n`;
      written += writeSync(fd, block);
      events += lines.length;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(`${file}.tmp`, file);
  writeSync(openSync(meta, 'w'), String(events));
  return { file, events };
}

async function shippedRules(): Promise<readonly Detector[]> {
  const { loadDetectors } = await import('../cli/load-detectors.ts');
  return loadDetectors(join(PROJECT, 'rules')).alerting;
}

export async function eventsStreamWorkload(): Promise<() => RunResult> {
  const own = process.env.RULE_HARNESS_STREAM_FILE;
  const { file, events } = own ? { file: own, events: -1 } : await generatedFile(streamFileMb());
  const detectors = await shippedRules();
  const { streamEvents } = await import('../events/read-events.ts');
  const { StreamMatcher } = await import('../runner/stream-match.ts');
  return () => {
    const m = new StreamMatcher(detectors);
    let n = 0;
    let alerts = 0;
    for (const ev of streamEvents(file)) alerts += m.push(ev, n++).length;
    alerts += m.finish().length;
    return { units: n, ok: events < 0 || n === events, note: `${own ?? `${streamFileMb()} MB`}, ${n} events, ${detectors.length} rules, ${alerts} alerts` };
  };
}

export async function eventsStreamBaseline(): Promise<() => RunResult> {
  const { file, events } = await generatedFile(streamFileMb());
  const detectors = await shippedRules();
  return () => {
    const text = readFileSync(file, 'utf8');
    const all = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    let alerts = 0;
    for (const d of detectors) alerts += d.detect(all).length;
    return { units: all.length, ok: all.length === events, note: `${streamFileMb()} MB, ${all.length} events, ${detectors.length} rules, ${alerts} alerts` };
  };
}
