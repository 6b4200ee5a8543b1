import { EvtxFormatError } from './errors.ts';

/** The DataView and Buffer of the bytes a cursor was last made over. */
let lastViews: { view: DataView; buf: Buffer } = { view: new DataView(new ArrayBuffer(0)), buf: Buffer.alloc(0) };

/**
 * Bounds-checked little-endian reads over one chunk's bytes. Every read that would
 * pass `end` throws an EvtxFormatError at the chunk-relative offset, so a wrong size
 * anywhere in a record becomes a located error, never an out-of-range read.
 */
export class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    readonly view: DataView,
    /** The same bytes as a Buffer: its native UTF-16 decoding is the fast path for strings. */
    readonly buf: Buffer,
    public pos: number,
    public end: number,
  ) {}

  static over(bytes: Uint8Array, pos = 0, end = bytes.length): Cursor {
    // A file's chunks are read into one buffer kept between files: its views are made once.
    if (bytes.buffer !== lastViews.view.buffer || bytes.byteOffset !== lastViews.view.byteOffset || bytes.byteLength !== lastViews.view.byteLength) {
      lastViews = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), buf: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    }
    return new Cursor(bytes, lastViews.view, lastViews.buf, pos, end);
  }

  /** A cursor over the same bytes from `pos` to `end` (a copy: reading it leaves this one where it is). */
  at(pos: number, end: number): Cursor {
    return new Cursor(this.bytes, this.view, this.buf, pos, end);
  }

  /** A cursor over `[pos, pos + size)` of the same bytes (checked against this cursor's end). */
  sub(size: number): Cursor {
    this.need(size);
    const c = this.at(this.pos, this.pos + size);
    this.pos += size;
    return c;
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new EvtxFormatError(`needs ${n} bytes at offset ${this.pos}, only ${Math.max(0, this.end - this.pos)} left`, this.pos);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  utf16(chars: number): string {
    this.need(chars * 2);
    const s = utf16Slice(this.buf, this.pos, this.pos + chars * 2);
    this.pos += chars * 2;
    return s;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

/** Node's own UTF-16 decoder, which `toString('utf16le', …)` ends in after checking its arguments. */
interface Ucs2Slicer {
  ucs2Slice(start: number, end: number): string;
}
const slicer = Buffer.prototype as Partial<Ucs2Slicer>;

/**
 * UTF-16LE text of `buf[start, end)` (both checked by the caller). Straight to Node's
 * decoder where it has one: every name and string value of every record goes through
 * here, and toString's argument handling costs as much as short strings' decoding.
 */
export const utf16Slice: (buf: Buffer, start: number, end: number) => string =
  typeof slicer.ucs2Slice === 'function' ? (buf, start, end) => (buf as unknown as Ucs2Slicer).ucs2Slice(start, end) : (buf, start, end) => buf.toString('utf16le', start, end);

/** UTF-16LE text of bytes (string arrays). */
export function decodeUtf16(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf16le');
}
