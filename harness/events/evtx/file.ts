import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CHUNK_SIZE, chunkRecords, type EvtxItem } from './chunk.ts';
import { crc32 } from './crc32.ts';

const FILE_HEADER_SIZE = 4096;
/**
 * How much of a chunk is read before its header says how much is used: most logs end in
 * a chunk that is partly written (small logs are nothing else), so a chunk costs what its
 * records take, not 64 KiB. The rest up to the free-space offset is read next.
 */
const CHUNK_PREFIX = 12 * 1024;

/**
 * Where an EVTX file's bytes come from. `chunk` returns the chunk at a file offset (as
 * much of its 64 KiB as the file holds) whose bytes are valid up to what `load(end)` was
 * asked for: `[0, end)` of the chunk, read on demand (a no-op for bytes in memory).
 */
export interface EvtxSource {
  header(): Uint8Array;
  chunk(offset: number): { readonly bytes: Uint8Array; readonly load: (end: number) => void };
}

export function isEvtxSignature(b: Uint8Array): boolean {
  // "ElfFile\0"
  return b.length >= 8 && b[0] === 0x45 && b[1] === 0x6c && b[2] === 0x66 && b[3] === 0x46 && b[4] === 0x69 && b[5] === 0x6c && b[6] === 0x65 && b[7] === 0;
}

/**
 * Every record of an EVTX file, in file order, and every problem met on the way
 * (bad checksums, bad records, truncation), each at its file offset. Memory is
 * one chunk (64 KiB) plus that chunk's names and templates, whatever the file size.
 */
export function* evtxItems(source: EvtxSource): Generator<EvtxItem> {
  const header = source.header();
  if (!isEvtxSignature(header)) {
    yield { kind: 'problem', problem: { offset: 0, scope: 'file', message: 'not an EVTX file: the header signature is not "ElfFile"' } };
    return;
  }
  if (header.length < 128) {
    yield { kind: 'problem', problem: { offset: header.length, scope: 'file', message: `file truncated to ${header.length} bytes, inside its header` } };
    return;
  }
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (crc32(header, 0, 120) !== view.getUint32(124, true)) yield { kind: 'problem', problem: { offset: 124, scope: 'file', message: 'file header checksum does not match: chunks read as far as they parse' } };
  const headerBlock = view.getUint16(40, true);
  const first = headerBlock >= 128 && headerBlock <= 0x10000 ? headerBlock : FILE_HEADER_SIZE;
  for (let offset = first; ; offset += CHUNK_SIZE) {
    const { bytes, load } = source.chunk(offset);
    if (bytes.length === 0) return;
    if (bytes.length < CHUNK_SIZE) {
      yield { kind: 'problem', problem: { offset: offset + bytes.length, scope: 'chunk', message: `file ends ${CHUNK_SIZE - bytes.length} bytes into a chunk: its records are read as far as they are complete` } };
    }
    yield* chunkRecords(bytes, offset, load);
    if (bytes.length < CHUNK_SIZE) return;
  }
}

/** One buffer kept between files (a reader takes it, or allocates its own while another holds it). */
let spare: Uint8Array | undefined;

/**
 * Items of an EVTX file read from its file handle into one buffer of a header and a
 * chunk. The first read takes the header and the start of the first chunk at once (most
 * logs are one chunk, so a small file costs one read); a chunk is read as far as its
 * records go, the rest only if something in it points there.
 */
export function* readEvtxFile(file: string): Generator<EvtxItem> {
  const fd = openSync(file, 'r');
  const buffer = spare ?? new Uint8Array(FILE_HEADER_SIZE + CHUNK_SIZE);
  spare = undefined;
  try {
    const size = fstatSync(fd).size;
    /** `buffer[0, ready)` holds the file's bytes `[held, held + ready)`. */
    let held = 0;
    let ready = 0;
    /** Read the file up to `end` (clamped to its size and the buffer) behind what is held. */
    const readTo = (end: number): void => {
      const want = Math.min(end, size, held + buffer.length) - held;
      while (ready < want) {
        const n = readSync(fd, buffer, ready, want - ready, held + ready);
        if (n === 0) {
          // The file shrank while read: what is missing reads as zeros, never as an earlier file's bytes.
          buffer.fill(0, ready, want);
          ready = want;
          break;
        }
        ready += n;
      }
    };
    /** Hold the file from `position` on (re-reading into the buffer's start unless it is held already). */
    const hold = (position: number, length: number): Uint8Array => {
      const len = Math.max(0, Math.min(length, size - position));
      if (position < held || position + len > held + buffer.length || position > held + ready) {
        held = position;
        ready = 0;
      }
      return buffer.subarray(position - held, position - held + len);
    };
    yield* evtxItems({
      header: () => {
        const header = hold(0, FILE_HEADER_SIZE);
        readTo(FILE_HEADER_SIZE + CHUNK_PREFIX);
        return header;
      },
      chunk: (offset) => {
        const bytes = hold(offset, CHUNK_SIZE);
        readTo(offset + Math.min(bytes.length, CHUNK_PREFIX));
        return { bytes, load: (end) => readTo(offset + end) };
      },
    });
  } finally {
    closeSync(fd);
    spare = buffer;
  }
}

/** Items of EVTX bytes already in memory (tests, fuzzing). */
export function evtxItemsOf(bytes: Uint8Array): Generator<EvtxItem> {
  const noLoad = (): void => {};
  return evtxItems({
    header: () => bytes.subarray(0, FILE_HEADER_SIZE),
    chunk: (offset) => ({ bytes: bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + CHUNK_SIZE, bytes.length)), load: noLoad }),
  });
}
