/**
 * Several EVTX files read with their opening, reading and closing overlapped with decoding:
 * a worker thread (read-ahead-worker.mjs) reads files ahead into a fixed ring of shared
 * slots (a file header and one chunk each, so the bytes in flight are bounded) while this
 * thread decodes. Both threads take files from one shared counter: whichever is free when a
 * file's turn comes reads it, so this thread reads files itself while the worker starts
 * (and whenever decoding gets ahead of the worker). Blocking waits on the slots keep the
 * reader synchronous, like readEvtxFile, and each file's items are exactly readEvtxFile's.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CHUNK_SIZE, type EvtxItem } from './chunk.ts';
import { CHUNK_PREFIX, evtxItems, fileSource, FILE_HEADER_SIZE, readEvtxFile, type EvtxSource } from './file.ts';

/** One file's items; iterate them before asking for the next file (they are closed then). */
export interface EvtxFileItems {
  readonly file: string;
  readonly items: Generator<EvtxItem>;
}

export interface ReadAheadOptions {
  /** Slots of a header and a chunk (68 KiB) each: at most this many are read and not yet decoded. */
  readonly slots?: number;
  /** Whether this thread reads a file itself when the worker has none ready (default true; false, for tests, reads every file through the worker). */
  readonly share?: boolean;
}

/** Shared with the worker through workerData: one definition of the slot layout. */
const LAYOUT = {
  ctl: { produced: 0, consumed: 1, claim: 2, stop: 3, state: 4, failLen: 5 },
  field: { file: 0, kind: 1, headerLen: 2, chunkAt: 3, chunkLen: 4, filled: 5, last: 6 },
  kind: { head: 1, chunk: 2, error: 3 },
  state: { starting: 0, running: 1, done: 2, failed: 3 },
  fields: 8,
  header: FILE_HEADER_SIZE,
  chunk: CHUNK_SIZE,
  prefix: CHUNK_PREFIX,
  /** Where the worker writes why it failed, in the control buffer. */
  failAt: 64,
} as const;
const { ctl: C, field: F, kind: K, state: S } = LAYOUT;
const SLOT = FILE_HEADER_SIZE + CHUNK_SIZE;
const WORKER = new URL('./read-ahead-worker.mjs', import.meta.url);
const EMPTY = new Uint8Array(0);
/** Reading threads started and not yet exited (tests check that leaving a read ends its thread). */
let live = 0;

export function readAheadThreads(): number {
  return live;
}

/**
 * Every file's items, in order, each exactly as readEvtxFile gives them (a file that cannot
 * be read throws the same error when its items are read). One file is read on this thread
 * alone; several start a reading thread, stopped when iteration ends or is left.
 */
export function* readEvtxFiles(files: readonly string[], options: ReadAheadOptions = {}): Generator<EvtxFileItems> {
  const ahead = files.length > 1 ? ReadAhead.start(files, Math.max(2, options.slots ?? 64), options.share ?? true) : undefined;
  try {
    for (let i = 0; i < files.length; i++) {
      const items = ahead?.take(i) ?? readEvtxFile(files[i]!);
      try {
        yield { file: files[i]!, items };
      } finally {
        items.return(undefined);
      }
    }
  } finally {
    ahead?.stop();
  }
}

/** The decoding side of the slot ring. */
class ReadAhead {
  readonly ctl: Int32Array;
  readonly meta: Float64Array;
  readonly data: Uint8Array;
  /** Segments released by this thread (its read position in the ring). */
  private consumed = 0;

  private constructor(
    readonly files: readonly string[],
    private readonly slots: number,
    private readonly share: boolean,
    private readonly worker: Worker,
    buffers: { ctl: SharedArrayBuffer; meta: SharedArrayBuffer; data: SharedArrayBuffer },
  ) {
    this.ctl = new Int32Array(buffers.ctl, 0, LAYOUT.failAt / 4);
    this.meta = new Float64Array(buffers.meta);
    this.data = new Uint8Array(buffers.data);
  }

  /** A started reader, or undefined when no thread can be started (files are then read here). */
  static start(files: readonly string[], slots: number, share: boolean): ReadAhead | undefined {
    const buffers = { ctl: new SharedArrayBuffer(LAYOUT.failAt + 4096), meta: new SharedArrayBuffer(slots * LAYOUT.fields * 8), data: new SharedArrayBuffer(slots * SLOT) };
    let worker: Worker;
    try {
      // No loader or flags of this process: the worker is plain JavaScript, and starts sooner without them.
      worker = new Worker(WORKER, { workerData: { files, slots, ctlBuffer: buffers.ctl, metaBuffer: buffers.meta, dataBuffer: buffers.data, layout: LAYOUT }, execArgv: [] });
    } catch {
      return undefined;
    }
    // A worker that fails sets its state (seen by `next`); the event itself is not needed.
    worker.on('error', () => {});
    live++;
    worker.once('exit', () => live--);
    worker.unref();
    return new ReadAhead(files, slots, share, worker, buffers);
  }

  /** File `i`'s items: from the worker's slots if it has taken the file, else undefined (this thread reads it). */
  take(i: number): Generator<EvtxItem> | undefined {
    // Slots of files before `i` whose items were left unread.
    while (Atomics.load(this.ctl, C.produced) > this.consumed && this.field(this.current(), F.file) < i) this.release();
    if (Atomics.load(this.ctl, C.produced) > this.consumed) return evtxItems(new SlotSource(this, i));
    return this.share && Atomics.compareExchange(this.ctl, C.claim, i, i + 1) === i ? undefined : evtxItems(new SlotSource(this, i));
  }

  stop(): void {
    Atomics.store(this.ctl, C.stop, 1);
    // Frees every slot, so a worker waiting for one wakes, sees the stop and ends.
    Atomics.add(this.ctl, C.consumed, this.slots);
    Atomics.notify(this.ctl, C.consumed);
    void this.worker.terminate().catch(() => {});
  }

  /** The slot at the read position. */
  current(): number {
    return this.consumed % this.slots;
  }

  field(slot: number, f: number): number {
    return this.meta[slot * LAYOUT.fields + f]!;
  }

  /** The next segment of file `i` (waiting for the worker to read it), skipping what is left of earlier files. */
  next(i: number): number {
    for (;;) {
      const produced = Atomics.load(this.ctl, C.produced);
      if (produced > this.consumed) {
        const s = this.current();
        const file = this.field(s, F.file);
        if (file === i) return s;
        if (file > i) throw new Error(`EVTX read-ahead: ${this.files[i]} expected, ${this.files[file]} read`);
        this.release();
        continue;
      }
      const state = Atomics.load(this.ctl, C.state);
      if (state === S.done || state === S.failed) {
        const why = new TextDecoder().decode(new Uint8Array(this.ctl.buffer, LAYOUT.failAt, Atomics.load(this.ctl, C.failLen)).slice());
        throw new Error(`EVTX read-ahead thread ended before ${this.files[i]} was read${why ? `: ${why}` : ''}`);
      }
      Atomics.wait(this.ctl, C.produced, produced, 1000);
    }
  }

  /** A segment of file `i`, or its read error thrown as the worker met it. */
  segment(i: number): number {
    const s = this.next(i);
    if (this.field(s, F.kind) !== K.error) return s;
    const json = new TextDecoder().decode(this.data.slice(s * SLOT, s * SLOT + this.field(s, F.headerLen)));
    const { message, ...fields } = JSON.parse(json) as { message: string; code?: string; errno?: number; syscall?: string; path?: string };
    throw Object.assign(new Error(message), fields);
  }

  release(): void {
    // No wake-up here: waking a thread costs this one ~0.1 ms on a busy machine; the worker looks again soon by itself.
    this.consumed++;
    Atomics.add(this.ctl, C.consumed, 1);
  }
}

/**
 * One file's bytes from the slots. A request the slots do not hold (bytes past what the worker
 * read, chunks not where it reads them) is read here, from the file, as FileSource reads it.
 */
class SlotSource implements EvtxSource {
  /** The slot held (at the read position), or -1. */
  private slot = -1;
  /** Bytes of the held chunk that are valid. */
  private filled = 0;
  private fd = -1;
  private rest: EvtxSource | undefined;

  constructor(
    private readonly ahead: ReadAhead,
    private readonly index: number,
  ) {}

  header(): Uint8Array {
    this.slot = this.ahead.segment(this.index);
    const at = this.slot * SLOT;
    return this.ahead.data.subarray(at, at + this.ahead.field(this.slot, F.headerLen));
  }

  chunk(offset: number): Uint8Array {
    if (this.rest) return this.rest.chunk(offset);
    if (this.ahead.field(this.slot, F.chunkAt) === offset) return this.hold();
    if (this.ahead.field(this.slot, F.last) === 1) {
      const at = this.ahead.field(this.slot, F.chunkAt);
      if (at >= 0 && offset >= at + this.ahead.field(this.slot, F.chunkLen)) return EMPTY;
      return this.readRest(offset);
    }
    this.ahead.release();
    this.slot = -1;
    this.slot = this.ahead.segment(this.index);
    return this.ahead.field(this.slot, F.chunkAt) === offset ? this.hold() : this.readRest(offset);
  }

  load(end: number): void {
    if (this.rest) return this.rest.load(end);
    const len = this.ahead.field(this.slot, F.chunkLen);
    const want = Math.min(end, len);
    if (this.filled >= want) return;
    // Rarely met (the worker reads as far as the chunk's records go): read here, as FileSource does.
    if (this.fd < 0) this.fd = openSync(this.ahead.files[this.index]!, constants.O_RDONLY);
    const at = this.slot * SLOT + FILE_HEADER_SIZE;
    const position = this.ahead.field(this.slot, F.chunkAt);
    while (this.filled < want) {
      const n = readSync(this.fd, this.ahead.data, at + this.filled, want - this.filled, position + this.filled);
      if (n === 0) {
        // The file shrank since: the rest reads as zeros, never as an earlier file's bytes.
        this.ahead.data.fill(0, at + this.filled, at + len);
        this.filled = len;
        return;
      }
      this.filled += n;
    }
  }

  release(): void {
    try {
      this.rest?.release();
      if (this.fd >= 0) closeSync(this.fd);
    } finally {
      this.fd = -1;
      if (this.slot >= 0) this.ahead.release();
      this.slot = -1;
    }
  }

  private hold(): Uint8Array {
    const at = this.slot * SLOT + FILE_HEADER_SIZE;
    this.filled = this.ahead.field(this.slot, F.filled);
    return this.ahead.data.subarray(at, at + this.ahead.field(this.slot, F.chunkLen));
  }

  /** The file from `offset` on, read here: the slots do not hold it. */
  private readRest(offset: number): Uint8Array {
    this.ahead.release();
    this.slot = -1;
    this.rest = fileSource(this.ahead.files[this.index]!);
    this.rest.header();
    return this.rest.chunk(offset);
  }
}
