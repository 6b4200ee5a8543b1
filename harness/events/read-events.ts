import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../core/diagnostics.ts';
import { isRecord, type Event } from '../core/event.ts';
import { flattenEvent, isEvtxSignature, readEvtxFile, type EvtxItem, type EvtxProblem, type Json } from './evtx/index.ts';
import { readEvtxFiles } from './evtx/read-ahead.ts';
import { eventsError, jsonEvents } from './json-stream.ts';
import { textChunks } from './text-chunks.ts';

export type ProblemSink = (file: string, problem: EvtxProblem) => void;

/** Problems of a partly readable recording go to standard error, located, and reading goes on. */
export const warnProblem: ProblemSink = (file, p) => {
  process.stderr.write(`${file}: offset ${p.offset}: ${p.message}\n`);
};

/** Read options whose located problems go to `err` as warnings (the commands' form), reading going on. */
export function warnTo(err: (text: string) => void): ReadOptions {
  return { onProblem: (file, p) => err(`${file}: offset ${p.offset}: warning: ${p.message}`) };
}

export interface ReadOptions {
  /** Where located problems of an EVTX file go (default: standard error). */
  readonly onProblem?: ProblemSink;
}

function sniffEvtx(file: string): boolean {
  if (file === '-') return false;
  if (/\.evtx$/i.test(file)) return true;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(8);
    readSync(fd, head, 0, 8, 0);
    return isEvtxSignature(head);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * An exported Windows event (`{"Event": {"System": …}}`, the evtx crate's and
 * SigmaHQ's JSON) becomes the flat event Sigma rules match; other objects pass as they are.
 */
function asEvent(ev: Event): Event {
  const inner = ev['Event'];
  if (isRecord(inner) && isRecord(inner['System']) && Object.keys(ev).length === 1) return flattenEvent(ev as Record<string, Json>);
  return ev;
}

function* evtxEvents(file: string, onProblem: ProblemSink, items: Iterable<EvtxItem> = readEvtxFile(file)): Generator<Event> {
  let records = 0;
  let fatal: EvtxProblem | undefined;
  for (const item of items) {
    if (item.kind === 'record') {
      records++;
      yield flattenEvent(item.record.json);
    } else if (item.problem.scope === 'file' && records === 0) fatal = item.problem;
    else onProblem(file, item.problem);
  }
  if (fatal) throw new HarnessError([{ code: 'events/invalid', severity: 'error', message: `${fatal.message} (at byte offset ${fatal.offset})`, span: { file, line: 1, column: 1 } }]);
}

/** The file names a folder of events is read from; other files (notes, hashes) are left alone. */
const EVENT_FILE = /\.(evtx|json|jsonl|ndjson)$/i;

/** The event files below a folder, every level, in path order (the order their events are read in). */
export function eventFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && EVENT_FILE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * A folder's events: its event files one after another. Its recordings are read ahead on a
 * second thread while this one decodes (read-ahead.ts) — a folder of a lab's or a sample
 * collection's .evtx files is mostly the opening and reading of many small files.
 */
function* folderEvents(dir: string, onProblem: ProblemSink): Generator<Event> {
  const files = eventFilesIn(dir);
  if (files.length === 0) eventsError(dir, 1, 'the folder holds no event files (.evtx, .json, .jsonl, .ndjson)');
  const recordings = readEvtxFiles(files.filter((f) => /\.evtx$/i.test(f)));
  try {
    for (const file of files) {
      if (/\.evtx$/i.test(file)) {
        const next = recordings.next();
        if (next.done) throw new Error(`read-ahead ended before ${file}`);
        yield* evtxEvents(file, onProblem, next.value.items);
      } else for (const ev of jsonEvents(file, textChunks(file))) yield asEvent(ev);
    }
  } finally {
    recordings.return(undefined);
  }
}

function isFolder(path: string): boolean {
  try {
    return path !== '-' && statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Events of a file, one at a time as they are read — never the whole file in
 * memory: a JSON array, JSON Lines, concatenated JSON documents, or a Windows
 * event log (`.evtx`, recognised by its name or its signature). '-' reads
 * standard input; a folder reads every event file below it, in path order, as one
 * stream. Errors name the file and line (EVTX: the byte offset).
 */
export function streamEvents(file: string, options: ReadOptions = {}): Iterable<Event> {
  return {
    *[Symbol.iterator]() {
      try {
        if (isFolder(file)) {
          yield* folderEvents(file, options.onProblem ?? warnProblem);
          return;
        }
        if (sniffEvtx(file)) {
          yield* evtxEvents(file, options.onProblem ?? warnProblem);
          return;
        }
        for (const ev of jsonEvents(file, textChunks(file))) yield asEvent(ev);
      } catch (e) {
        if (e instanceof HarnessError) throw e;
        eventsError(file, 1, `cannot read events: ${(e as Error).message}`);
      }
    },
  };
}

/** Events from JSON text already in memory (same forms as `streamEvents`). */
export function parseEvents(file: string, raw: string): Event[] {
  return Array.from(jsonEvents(file, [raw]), asEvent);
}

/** All events of a file, for callers that need them together (explain, scenarios). */
export function readEvents(file: string, options: ReadOptions = {}): Event[] {
  return Array.from(streamEvents(file, options));
}
