import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CHUNK_SIZE, chunkRecords, type EvtxItem } from './chunk.ts';
import { crc32 } from './crc32.ts';

const FILE_HEADER_SIZE = 4096;

/** Reads `length` bytes at `position` into a reused buffer; fewer at the end of the data. */
export type ReadAt = (position: number, length: number) => Uint8Array;

export function isEvtxSignature(b: Uint8Array): boolean {
  // "ElfFile\0"
  return b.length >= 8 && b[0] === 0x45 && b[1] === 0x6c && b[2] === 0x66 && b[3] === 0x46 && b[4] === 0x69 && b[5] === 0x6c && b[6] === 0x65 && b[7] === 0;
}

/**
 * Every record of an EVTX file, in file order, and every problem met on the way
 * (bad checksums, bad records, truncation), each at its file offset. Memory is
 * one chunk (64 KiB) plus that chunk's names and templates, whatever the file size.
 */
export function* evtxItems(readAt: ReadAt): Generator<EvtxItem> {
  const header = readAt(0, FILE_HEADER_SIZE);
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
    const bytes = readAt(offset, CHUNK_SIZE);
    if (bytes.length === 0) return;
    if (bytes.length < CHUNK_SIZE) {
      yield { kind: 'problem', problem: { offset: offset + bytes.length, scope: 'chunk', message: `file ends ${CHUNK_SIZE - bytes.length} bytes into a chunk: its records are read as far as they are complete` } };
    }
    yield* chunkRecords(bytes, offset);
    if (bytes.length < CHUNK_SIZE) return;
  }
}

/** One buffer kept between files (a reader takes it, or allocates its own while another holds it). */
let spare: Uint8Array | undefined;

/**
 * Items of an EVTX file read chunk by chunk from its file handle into one buffer of a
 * header and a chunk: the first read takes the header and the first chunk at once (most
 * logs are one chunk, so a file costs one read), every later chunk is one read.
 */
export function* readEvtxFile(file: string): Generator<EvtxItem> {
  const fd = openSync(file, 'r');
  const buffer = spare ?? new Uint8Array(FILE_HEADER_SIZE + CHUNK_SIZE);
  spare = undefined;
  try {
    const size = fstatSync(fd).size;
    /** The file bytes in `buffer`: `[held, held + heldLength)`. */
    let held = 0;
    let heldLength = 0;
    yield* evtxItems((position, length) => {
      const want = Math.max(0, Math.min(length, size - position));
      if (position < held || position + want > held + heldLength) {
        const fill = position === 0 ? Math.min(buffer.length, size) : want;
        let got = 0;
        while (got < fill) {
          const n = readSync(fd, buffer, got, fill - got, position + got);
          if (n === 0) break;
          got += n;
        }
        held = position;
        heldLength = got;
      }
      // Fewer bytes than asked when the file is shorter than its size said (it shrank while read).
      return buffer.subarray(position - held, Math.min(heldLength, position - held + want));
    });
  } finally {
    closeSync(fd);
    spare = buffer;
  }
}

/** Items of EVTX bytes already in memory (tests, fuzzing). */
export function evtxItemsOf(bytes: Uint8Array): Generator<EvtxItem> {
  return evtxItems((position, length) => bytes.subarray(Math.min(position, bytes.length), Math.min(position + length, bytes.length)));
}
