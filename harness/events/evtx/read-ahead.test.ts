import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SHARED } from '../../core/shared-dir.ts';
import { readEvtxFile, type EvtxItem } from './index.ts';
import { readAheadThreads, readEvtxFiles, type ReadAheadOptions } from './read-ahead.ts';
import { fixChecksums, fixtureBytes } from './testing.ts';

const EVTX_DIR = join(SHARED, 'evtx');
const present = existsSync(EVTX_DIR);
if (!present) console.warn(`EVTX read-ahead over ../shared/evtx skipped: ${EVTX_DIR} is absent (it ships beside the project in CI)`);

/** A file's items as comparable values, or the error reading it threw (after the items before it). */
function outcome(items: Iterable<EvtxItem>): unknown[] {
  const out: unknown[] = [];
  try {
    for (const item of items) {
      if (item.kind === 'problem') out.push(item.problem);
      else out.push({ offset: item.record.offset, recordId: item.record.recordId, written: item.record.written, json: item.record.json });
    }
  } catch (e) {
    out.push({ error: (e as Error).message, code: (e as { code?: string }).code });
  }
  return out;
}

const oneByOne = (files: readonly string[]) => files.map((f) => outcome(readEvtxFile(f)));

function readAhead(files: readonly string[], options: ReadAheadOptions = {}): unknown[][] {
  const out: unknown[][] = [];
  for (const { file, items } of readEvtxFiles(files, options)) {
    expect(file).toBe(files[out.length]);
    out.push(outcome(items));
  }
  return out;
}

/** The shipped fixture (header, one chunk) with its chunk repeated: a file of `chunks` whole chunks, then `cut` bytes of another. */
function chunks(count: number, cut = 0): Uint8Array {
  const one = fixtureBytes();
  const chunk = new Uint8Array(0x10000);
  chunk.set(one.subarray(4096, 4096 + 0x10000));
  const out = new Uint8Array(4096 + count * 0x10000 + cut);
  out.set(one.subarray(0, 4096));
  for (let i = 0; i < count; i++) out.set(chunk, 4096 + i * 0x10000);
  out.set(chunk.subarray(0, cut), 4096 + count * 0x10000);
  return fixChecksums(out);
}

/** Files of every shape the reader meets: whole, many chunks, cut anywhere, not EVTX, missing, a directory. */
function fixtureFiles(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'evtx-ahead-'));
  const write = (name: string, bytes: Uint8Array) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  const one = fixtureBytes();
  // Chunks after a larger header block (8 KiB): not where the worker reads ahead, so read by the decoding thread.
  const moved = new Uint8Array(8192 + 0x10000);
  moved.set(one.subarray(0, 4096));
  moved.set(one.subarray(4096, 4096 + 0x10000), 8192);
  new DataView(moved.buffer).setUint16(40, 8192, true);
  mkdirSync(join(dir, 'a-directory.evtx'));
  return [
    write('whole.evtx', one),
    write('five-chunks.evtx', chunks(5)),
    write('cut-in-third-chunk.evtx', chunks(2, 3000)),
    write('cut-in-first-chunk.evtx', one.subarray(0, 4096 + 700)),
    write('cut-in-header.evtx', one.subarray(0, 100)),
    write('header-only.evtx', one.subarray(0, 4096)),
    write('empty.evtx', new Uint8Array(0)),
    write('not-evtx.evtx', new TextEncoder().encode('{"a": 1}\n'.repeat(3000))),
    write('moved-chunk.evtx', fixChecksums(moved)),
    join(dir, 'missing.evtx'),
    join(dir, 'a-directory.evtx'),
    write('whole-again.evtx', one),
  ];
}

/** Wait (briefly) until no reading thread is left. */
async function threadsEnded(): Promise<number> {
  for (let i = 0; i < 200 && readAheadThreads() > 0; i++) await new Promise((r) => setTimeout(r, 10));
  return readAheadThreads();
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe('readEvtxFiles', () => {
  test('every file, in order, gives exactly what readEvtxFile gives: records, problems and read errors', async () => {
    const files = fixtureFiles();
    const expected = oneByOne(files);
    // The fixtures cover what they claim: errors, problems, several chunks.
    expect(expected.at(-3)).toEqual([{ error: expect.stringContaining('ENOENT') as string, code: 'ENOENT' }]);
    expect(expected.at(-2)).toEqual([{ error: expect.stringContaining('EISDIR') as string, code: 'EISDIR' }]);
    expect(expected[1]!.length).toBe(5);
    expect(expected[2]).toContainEqual(expect.objectContaining({ scope: 'chunk' }));
    expect(readAhead(files)).toEqual(expected);
    // Every file through the worker, several times over a ring of two slots: it waits for the decoder again and again.
    const many = Array.from({ length: 20 }, () => files).flat();
    expect(readAhead(many, { slots: 2, share: false })).toEqual(Array.from({ length: 20 }, () => expected).flat());
    expect(readAhead(many, { slots: 3 })).toEqual(Array.from({ length: 20 }, () => expected).flat());
    expect(await threadsEnded()).toBe(0);
  });

  test.skipIf(!present)('over ../shared/evtx: the same items as readEvtxFile, file by file', async () => {
    const files = readdirSync(EVTX_DIR, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.evtx'))
      .map((e) => join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(100);
    const twice = [...files, ...files];
    const expected = oneByOne(twice);
    expect(readAhead(twice)).toEqual(expected);
    expect(readAhead(twice, { share: false })).toEqual(expected);
    expect(await threadsEnded()).toBe(0);
  });

  test('bytes in flight are bounded: a worker ahead of a slow decoder never overwrites what is being decoded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evtx-ahead-'));
    const big = join(dir, 'big.evtx');
    writeFileSync(big, chunks(12));
    const files = [big, big, big];
    const expected = oneByOne(files);
    const got: unknown[][] = [];
    for (const { items } of readEvtxFiles(files, { slots: 3, share: false })) {
      const out: unknown[] = [];
      for (const item of items) {
        // Slow: the worker fills every slot and must wait for this thread, chunk after chunk.
        if (out.length % 4 === 0) pause(5);
        out.push(item.kind === 'record' ? { offset: item.record.offset, recordId: item.record.recordId, written: item.record.written, json: item.record.json } : item.problem);
      }
      got.push(out);
    }
    expect(got).toEqual(expected);
    expect(await threadsEnded()).toBe(0);
  });

  test('leaving early (a break, a file left unread) ends the reading thread', async () => {
    const files = fixtureFiles();
    const many = Array.from({ length: 50 }, () => files).flat();
    let seen = 0;
    for (const { items } of readEvtxFiles(many, { slots: 2, share: false })) {
      items.next(); // one item, the rest left
      pause(20); // the worker fills both slots and waits
      expect(readAheadThreads()).toBe(1);
      if (++seen === 3) break;
    }
    expect(await threadsEnded()).toBe(0);
    // Skipping files' items entirely still gives the next files right.
    const skipped: unknown[][] = [];
    let i = 0;
    for (const { items } of readEvtxFiles(many, { share: false })) if (i++ % 3 === 0) skipped.push(outcome(items));
    expect(skipped).toEqual(oneByOne(many).filter((_, j) => j % 3 === 0));
    expect(await threadsEnded()).toBe(0);
  });

  test('one file is read on this thread, as readEvtxFile reads it', () => {
    const [file] = fixtureFiles();
    const got: unknown[][] = [];
    for (const { items } of readEvtxFiles([file!])) {
      expect(readAheadThreads()).toBe(0);
      got.push(outcome(items));
    }
    expect(got).toEqual(oneByOne([file!]));
    expect(got[0]).toContainEqual(expect.objectContaining({ recordId: 1 }));
  });
});
