import { ChunkBinXml } from './binxml.ts';
import { crc32 } from './crc32.ts';
import { Cursor } from './cursor.ts';
import { EvtxFormatError, type EvtxProblem } from './errors.ts';
import type { Json } from './to-json.ts';
import { filetime } from './values.ts';

export const CHUNK_SIZE = 0x10000;
const CHUNK_HEADER_SIZE = 512;
const RECORD_SIGNATURE = 0x00002a2a;
const RECORD_HEADER_SIZE = 24;

/** One event record: where it is, its header fields, and its Event as JSON. */
export interface EvtxRecord {
  /** Byte offset of the record in the file. */
  readonly offset: number;
  readonly recordId: number;
  /** The record header's written time (FILETIME). */
  readonly written: string;
  /** `{"Event": {...}}`, shaped as the evtx crate's JSON export. */
  readonly json: Readonly<Record<string, Json>>;
}

/** A record as read: its written time is formatted when asked for (rules read the event's own times). */
class ReadRecord implements EvtxRecord {
  constructor(
    readonly offset: number,
    readonly recordId: number,
    private readonly writtenLow: number,
    private readonly writtenHigh: number,
    readonly json: Readonly<Record<string, Json>>,
  ) {}

  get written(): string {
    return filetime(this.writtenLow, this.writtenHigh);
  }
}

export type EvtxItem = { readonly kind: 'record'; readonly record: EvtxRecord } | { readonly kind: 'problem'; readonly problem: EvtxProblem };

function isChunkSignature(b: Uint8Array): boolean {
  // "ElfChnk\0"
  return b[0] === 0x45 && b[1] === 0x6c && b[2] === 0x66 && b[3] === 0x43 && b[4] === 0x68 && b[5] === 0x6e && b[6] === 0x6b && b[7] === 0;
}

function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** The next offset at or after `from` (8-byte aligned, as records are) holding a record signature. */
function nextSignature(c: Cursor, from: number, end: number): number {
  for (let p = from + ((8 - (from % 8)) % 8); p + RECORD_HEADER_SIZE <= end; p += 8) if (c.view.getUint32(p, true) === RECORD_SIGNATURE) return p;
  return end;
}

/** Makes `[0, end)` of the current chunk's bytes valid (reads them when the chunk is read from a file). */
export interface ChunkLoader {
  load(end: number): void;
}

/**
 * The records of one chunk (`bytes` is the whole chunk, `base` its file offset; its
 * header is loaded, the rest is loaded through `loader` as far as it is used).
 * Checksums are verified and a mismatch reported; records are still read as far
 * as each one parses, and each bad record is reported at its offset and skipped.
 */
/** One chunk reader kept between chunks (a chunk takes it, or makes its own while another chunk is read). */
let spare: ChunkBinXml | undefined;

export function* chunkRecords(bytes: Uint8Array, base: number, loader: ChunkLoader): Generator<EvtxItem> {
  loader.load(Math.min(bytes.length, CHUNK_HEADER_SIZE));
  if (!isChunkSignature(bytes)) {
    loader.load(bytes.length);
    if (!allZero(bytes)) yield { kind: 'problem', problem: { offset: base, scope: 'chunk', message: 'chunk signature is not "ElfChnk": chunk skipped' } };
    return;
  }
  if (bytes.length < CHUNK_HEADER_SIZE) {
    yield { kind: 'problem', problem: { offset: base, scope: 'chunk', message: `chunk truncated to ${bytes.length} bytes: shorter than its header` } };
    return;
  }
  const c = Cursor.over(bytes);
  const headerCrc = crc32(bytes, 128, CHUNK_HEADER_SIZE, crc32(bytes, 0, 120));
  if (headerCrc !== c.view.getUint32(124, true)) yield { kind: 'problem', problem: { offset: base + 124, scope: 'chunk', message: 'chunk header checksum does not match: records read as far as they parse' } };
  let free = c.view.getUint32(48, true);
  const freeOutside = free < CHUNK_HEADER_SIZE || free > bytes.length;
  if (freeOutside) free = bytes.length;
  // Records end at the free-space offset: that far is all a valid chunk needs read.
  loader.load(free);
  if (freeOutside) {
    yield { kind: 'problem', problem: { offset: base + 48, scope: 'chunk', message: `free space offset ${c.view.getUint32(48, true)} is outside the chunk${bytes.length < CHUNK_SIZE ? ` (chunk truncated to ${bytes.length} bytes)` : ''}: records read up to ${bytes.length}` } };
  } else if (crc32(bytes, CHUNK_HEADER_SIZE, free) !== c.view.getUint32(52, true)) {
    yield { kind: 'problem', problem: { offset: base + 52, scope: 'chunk', message: 'event records checksum does not match: records read as far as they parse' } };
  }
  const xml = spare?.reuse(c, loader) ?? new ChunkBinXml(c, loader);
  spare = undefined;
  let pos = CHUNK_HEADER_SIZE;
  try {
    while (pos + RECORD_HEADER_SIZE <= free) {
      const sig = c.view.getUint32(pos, true);
      if (sig !== RECORD_SIGNATURE) {
        if (allZero(bytes.subarray(pos, Math.min(free, pos + 8)))) break; // slack after the last record
        const next = nextSignature(c, pos + 1, free);
        yield { kind: 'problem', problem: { offset: base + pos, scope: 'record', message: `no record signature at this offset: ${next - pos} bytes skipped` } };
        pos = next;
        continue;
      }
      const size = c.view.getUint32(pos + 4, true);
      if (size < RECORD_HEADER_SIZE + 4 || pos + size > free || c.view.getUint32(pos + size - 4, true) !== size) {
        const next = nextSignature(c, pos + 8, free);
        yield { kind: 'problem', problem: { offset: base + pos, scope: 'record', message: `record size ${size} is invalid (outside the chunk's records or not repeated at its end): ${next - pos} bytes skipped` } };
        pos = next;
        continue;
      }
      const recordId = c.view.getUint32(pos + 12, true) * 4294967296 + c.view.getUint32(pos + 8, true);
      try {
        const json = xml.record(c.at(pos + RECORD_HEADER_SIZE, pos + size - 4));
        if (json === undefined) throw new EvtxFormatError('record holds no element', pos + RECORD_HEADER_SIZE);
        yield { kind: 'record', record: new ReadRecord(base + pos, recordId, c.view.getUint32(pos + 16, true), c.view.getUint32(pos + 20, true), json) };
      } catch (e) {
        if (!(e instanceof EvtxFormatError) && !(e instanceof RangeError)) throw e;
        const at = e instanceof EvtxFormatError ? ` (Binary XML at file offset ${base + e.offset})` : '';
        yield { kind: 'problem', problem: { offset: base + pos, scope: 'record', message: `record ${recordId}: ${e.message}${at}` } };
      }
      pos += size;
    }
  } finally {
    spare = xml;
  }
}
