import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { CHUNK_SIZE, chunkRecords, type ChunkLoader, type EvtxItem } from './chunk.ts';
import { crc32 } from './crc32.ts';

export const FILE_HEADER_SIZE = 4096;
/**
 * How much of a chunk is read before its header says how much is used: most logs end in
 * a chunk that is partly written (small logs are nothing else), so a chunk costs what its
 * records take, not 64 KiB. The rest up to the free-space offset is read next.
 */
export const CHUNK_PREFIX = 8 * 1024;

/**
 * Where an EVTX file's bytes come from. `chunk` returns the chunk at a file offset (as
 * much of its 64 KiB as the file holds), whose bytes are valid as far as `load(end)` was
 * asked for since: `[0, end)` of that chunk, read on demand (a no-op for bytes in memory).
 * Methods, not closures: a reader is made per file, and it stays cheap.
 */
export interface EvtxSource extends ChunkLoader {
  header(): Uint8Array;
  chunk(offset: number): Uint8Array;
  /** Called once when reading ends (done, stopped early or failed): a file is closed there. */
  release(): void;
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
  try {
    const header = source.header();
    if (!isEvtxSignature(header)) {
      yield { kind: 'problem', problem: { offset: 0, scope: 'file', message: 'not an EVTX file: the header signature is not "ElfFile"' } };
      return;
    }
    if (header.length < 128) {
      yield { kind: 'problem', problem: { offset: header.length, scope: 'file', message: `file truncated to ${header.length} bytes, inside its header` } };
      return;
    }
    // Two fields: read from the bytes (a DataView for them would be made per file).
    if (crc32(header, 0, 120) !== (header[124]! | (header[125]! << 8) | (header[126]! << 16) | (header[127]! << 24)) >>> 0) yield { kind: 'problem', problem: { offset: 124, scope: 'file', message: 'file header checksum does not match: chunks read as far as they parse' } };
    const headerBlock = header[40]! | (header[41]! << 8);
    const first = headerBlock >= 128 && headerBlock <= 0x10000 ? headerBlock : FILE_HEADER_SIZE;
    for (let offset = first; ; offset += CHUNK_SIZE) {
      const bytes = source.chunk(offset);
      if (bytes.length === 0) return;
      if (bytes.length < CHUNK_SIZE) {
        yield { kind: 'problem', problem: { offset: offset + bytes.length, scope: 'chunk', message: `file ends ${CHUNK_SIZE - bytes.length} bytes into a chunk: its records are read as far as they are complete` } };
      }
      yield* chunkRecords(bytes, offset, source);
      if (bytes.length < CHUNK_SIZE) return;
    }
  } finally {
    source.release();
  }
}

/** One buffer kept between files (a reader takes it, or allocates its own while another holds it). */
let spare: Uint8Array | undefined;
const NO_BUFFER = new Uint8Array(0);
/** Two bytes read across a chunk's end: whether the file reaches it, and whether it ends there. */
const PROBE = new Uint8Array(2);

/**
 * An open EVTX file read into one buffer of a header and a chunk. The first read takes
 * the header and the start of the first chunk at once (most logs are one chunk, so a
 * small file costs one read); a chunk is read as far as its records go, the rest only
 * if something in it points there. The file's size is not asked for (a stat is a system
 * call too, and Node makes an object of four dates from it): a short read tells it, and
 * whether a chunk is whole is told by two bytes read across its end, which also say
 * whether the file ends there.
 */
class FileSource implements EvtxSource {
  /** `buffer[0, ready)` holds the file's bytes `[held, held + ready)`. */
  private held = 0;
  private ready = 0;
  /** The file offset of the chunk last returned. */
  private chunkAt = 0;

  /** Opened at the first read (a reader never iterated holds no file), -1 once closed. */
  private fd = -1;
  /** The file's size once a read has met its end (or a stat told it), else -1. */
  private size = -1;
  /** How many bytes the file is known to hold while its size is not known. */
  private atLeast = 0;
  private buffer: Uint8Array = NO_BUFFER;

  constructor(private readonly file: string) {}

  header(): Uint8Array {
    this.fd = openSync(this.file, constants.O_RDONLY);
    this.buffer = spare ?? new Uint8Array(FILE_HEADER_SIZE + CHUNK_SIZE);
    spare = undefined;
    this.readTo(FILE_HEADER_SIZE + CHUNK_PREFIX);
    return this.hold(0, FILE_HEADER_SIZE);
  }

  chunk(offset: number): Uint8Array {
    if (offset < this.held || offset + CHUNK_SIZE > this.held + this.buffer.length || offset > this.held + this.ready) {
      this.held = offset;
      this.ready = 0;
    }
    this.chunkAt = offset;
    // The start first: a read that meets the file's end tells its size (no chunk, or a cut one).
    this.readTo(offset + CHUNK_PREFIX);
    return this.hold(offset, CHUNK_SIZE);
  }

  load(end: number): void {
    this.readTo(this.chunkAt + end);
  }

  release(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.buffer !== NO_BUFFER) spare = this.buffer;
    this.buffer = NO_BUFFER;
  }

  /** The file's bytes `[position, position + length)` as far as it holds them, in the buffer (where `position` is held). */
  private hold(position: number, length: number): Uint8Array {
    const len = Math.max(0, this.extent(position + length) - position);
    return this.buffer.subarray(position - this.held, position - this.held + len);
  }

  /** `end`, or the file's size when it ends before: found out by reading across `end` when no read has yet. */
  private extent(end: number): number {
    if (this.size < 0 && end > this.atLeast) {
      const n = readSync(this.fd, PROBE, 0, 2, end - 1);
      if (n === 2) this.atLeast = end + 1;
      else if (n === 1) this.size = end;
      else this.size = fstatSync(this.fd).size; // a cut file: how far it goes
    }
    return this.size < 0 ? end : Math.min(end, this.size);
  }

  /** Read the file up to `end` (clamped to its size and the buffer) behind what is held. */
  private readTo(end: number): void {
    const want = Math.min(end, this.size < 0 ? end : this.size, this.held + this.buffer.length) - this.held;
    while (this.ready < want) {
      const n = readSync(this.fd, this.buffer, this.ready, want - this.ready, this.held + this.ready);
      if (n === 0) {
        // The file ends here: that is its size, unless it shrank while read. Either way the rest of the
        // buffer reads as zeros, never as an earlier file's bytes, whatever chunk was handed out before.
        if (this.size < 0) this.size = this.held + this.ready;
        this.buffer.fill(0, this.ready);
        this.ready = this.buffer.length;
        break;
      }
      this.ready += n;
      this.atLeast = Math.max(this.atLeast, this.held + this.ready);
    }
  }
}

/** Items of an EVTX file, read from its file handle chunk by chunk (see FileSource); the file is opened when reading starts. */
export function readEvtxFile(file: string): Generator<EvtxItem> {
  return evtxItems(new FileSource(file));
}

/** A file read as readEvtxFile reads it, for a reader that takes over part way (read-ahead.ts). */
export function fileSource(file: string): EvtxSource {
  return new FileSource(file);
}

/** EVTX bytes already in memory (tests, fuzzing): every chunk is loaded whole. */
class MemorySource implements EvtxSource {
  constructor(private readonly bytes: Uint8Array) {}

  header(): Uint8Array {
    return this.bytes.subarray(0, FILE_HEADER_SIZE);
  }

  chunk(offset: number): Uint8Array {
    return this.bytes.subarray(Math.min(offset, this.bytes.length), Math.min(offset + CHUNK_SIZE, this.bytes.length));
  }

  load(): void {}

  release(): void {}
}

/** Items of EVTX bytes already in memory (tests, fuzzing). */
export function evtxItemsOf(bytes: Uint8Array): Generator<EvtxItem> {
  return evtxItems(new MemorySource(bytes));
}
