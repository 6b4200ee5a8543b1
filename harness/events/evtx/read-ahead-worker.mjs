// The reading side of read-ahead.ts, on its own thread: opens, reads and closes the EVTX
// files the decoding thread has not taken, into shared slots, a bounded number ahead.
// Plain JavaScript that needs only node:fs, so it starts without a TypeScript loader; the
// slot layout and field numbers come from read-ahead.ts in workerData (one definition).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { TextEncoder } from 'node:util';
import { workerData } from 'node:worker_threads';

const { files, slots, ctlBuffer, metaBuffer, dataBuffer, layout } = workerData;
const { ctl: C, field: F, kind: K, state: S, fields, header: HEADER, chunk: CHUNK, prefix: PREFIX, failAt } = layout;
const SLOT = HEADER + CHUNK;
const ctl = new Int32Array(ctlBuffer);
const meta = new Float64Array(metaBuffer);
const data = new Uint8Array(dataBuffer);
const failBytes = new Uint8Array(ctlBuffer, failAt);
const probe = new Uint8Array(2);
const encoder = new TextEncoder();
const POLL_MS = 0.25;

/** A free slot, waiting while every slot holds bytes not yet decoded; -1 once told to stop. */
function acquire() {
  let need = 1;
  for (;;) {
    if (Atomics.load(ctl, C.stop) !== 0) return -1;
    const produced = Atomics.load(ctl, C.produced);
    const consumed = Atomics.load(ctl, C.consumed);
    if (slots - (produced - consumed) >= need) return produced % slots;
    // Full: sleep until half the slots are free, looking every POLL_MS (the decoding thread does not wake it: that
    // would cost it a system call and often its core), then read a run of files at once.
    need = slots - (slots >> 1);
    Atomics.wait(ctl, C.consumed, consumed, POLL_MS);
  }
}

function publish() {
  Atomics.add(ctl, C.produced, 1);
  Atomics.notify(ctl, C.produced);
}

function describe(s, file, kind, headerLen, chunkAt, chunkLen, filled, last) {
  const m = s * fields;
  meta[m + F.file] = file;
  meta[m + F.kind] = kind;
  meta[m + F.headerLen] = headerLen;
  meta[m + F.chunkAt] = chunkAt;
  meta[m + F.chunkLen] = chunkLen;
  meta[m + F.filled] = filled;
  meta[m + F.last] = last ? 1 : 0;
}

/** Read the file's bytes `[position, position + length)` into `data` at `at`, as far as the file goes. */
function fill(fd, at, position, length) {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, data, at + got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

function isSignature(at, text) {
  for (let i = 0; i < 8; i++) if (data[at + i] !== (i < 7 ? text.charCodeAt(i) : 0)) return false;
  return true;
}

/** The error thrown where the decoding thread would have read the file itself: its fields as JSON in the slot. */
function failed(s, file, error) {
  const e = error instanceof Error ? error : new Error(String(error));
  const text = JSON.stringify({ message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, path: e.path });
  const { written } = encoder.encodeInto(text, data.subarray(s * SLOT, (s + 1) * SLOT));
  describe(s, file, K.error, written, -1, 0, 0, true);
  publish();
}

/**
 * The file header and the first chunk's used part (what the decoder will load: up to the
 * chunk's free-space offset), then each further chunk whole, one slot each. Whether the
 * first chunk is whole is told the way FileSource tells it: two bytes read across its end.
 */
function readFile(file, s) {
  let fd = -1;
  try {
    fd = openSync(files[file], constants.O_RDONLY);
    const base = s * SLOT;
    let got = fill(fd, base, 0, HEADER + PREFIX);
    let size = got < HEADER + PREFIX ? got : -1;
    const headerLen = size < 0 ? HEADER : Math.min(HEADER, size);
    const block = data[base + 40] | (data[base + 41] << 8);
    if (headerLen < 128 || !isSignature(base, 'ElfFile') || (block >= 128 && block <= 0x10000 && block !== HEADER)) {
      // Not read ahead (not EVTX, cut, or chunks not where they usually are): the decoder reads what it needs itself.
      describe(s, file, K.head, headerLen, -1, 0, 0, true);
      publish();
      return;
    }
    if (size < 0) {
      const free = data[base + HEADER + 48] | (data[base + HEADER + 49] << 8) | (data[base + HEADER + 50] << 16) | (data[base + HEADER + 51] << 24);
      const target = isSignature(base + HEADER, 'ElfChnk') && free >= 512 && free <= CHUNK ? free : CHUNK;
      if (target > PREFIX) {
        const more = fill(fd, base + HEADER + PREFIX, HEADER + PREFIX, target - PREFIX);
        got += more;
        if (more < target - PREFIX) size = got;
      }
    }
    let last = true;
    if (size < 0) {
      const n = readSync(fd, probe, 0, 2, HEADER + CHUNK - 1);
      if (n === 2) last = false;
      else if (n === 1) size = HEADER + CHUNK;
      else size = fstatSync(fd).size;
    }
    const chunkLen = size < 0 ? CHUNK : Math.max(0, Math.min(CHUNK, size - HEADER));
    describe(s, file, K.head, headerLen, HEADER, chunkLen, Math.min(chunkLen, Math.max(0, got - HEADER)), last);
    publish();
    for (let at = HEADER + CHUNK; !last; at += CHUNK) {
      s = acquire();
      if (s < 0) return;
      const n = fill(fd, s * SLOT + HEADER, at, CHUNK);
      last = n < CHUNK;
      describe(s, file, K.chunk, 0, at, n, n, last);
      publish();
    }
  } catch (e) {
    failed(s, file, e);
  } finally {
    // A close that fails loses nothing read.
    if (fd >= 0) closeQuietly(fd);
  }
}

function closeQuietly(fd) {
  try {
    closeSync(fd);
  } catch {
    // nothing to do: the bytes are read
  }
}

Atomics.store(ctl, C.state, S.running);
try {
  for (;;) {
    // A slot first, then a file: a file is claimed only when it can be read now (else the decoding thread may take it).
    const s = acquire();
    if (s < 0) break;
    const file = Atomics.add(ctl, C.claim, 1);
    if (file >= files.length) break;
    readFile(file, s);
  }
  Atomics.store(ctl, C.state, S.done);
} catch (e) {
  const { written } = encoder.encodeInto(String(e instanceof Error ? e.stack : e), failBytes);
  Atomics.store(ctl, C.failLen, written);
  Atomics.store(ctl, C.state, S.failed);
} finally {
  Atomics.notify(ctl, C.produced);
}
