import { Cursor, decodeUtf16 } from './cursor.ts';
import { EvtxFormatError } from './errors.ts';

/**
 * A decoded Binary XML value, already in the shape the JSON export uses (the
 * omerbenamram/evtx crate's): strings, numbers, booleans, null, arrays of them.
 * An embedded Binary XML fragment (type 0x21) is kept as raw bytes until expanded.
 */
export type Scalar = string | number | boolean | null;
export type BinValue = Scalar | readonly Scalar[] | { readonly fragment: Cursor };

export const BINXML_TYPE = 0x21;

const FILETIME_EPOCH_DIFF = 116444736000000000n; // 100 ns ticks from 1601-01-01 to 1970-01-01

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** ISO 8601 with 6 fractional digits and `Z`, as the crate prints FILETIME and SYSTEMTIME. */
function isoMicros(ms: number, micros: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  const y = d.getUTCFullYear();
  const date = `${y < 0 ? '-' : ''}${pad(Math.abs(y), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  return `${date}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(micros, 6)}Z`;
}

export function filetime(ticks: bigint): string {
  const sinceEpoch = ticks - FILETIME_EPOCH_DIFF;
  const micros = sinceEpoch / 10n;
  const ms = Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0);
  const subMicros = Number(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n);
  return isoMicros(ms, subMicros);
}

function systemtime(c: Cursor): string {
  const year = c.u16();
  const month = c.u16();
  c.u16(); // day of week
  const day = c.u16();
  const hour = c.u16();
  const minute = c.u16();
  const second = c.u16();
  const millis = c.u16();
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return isoMicros(ms - (ms % 1000) + (ms < 0 && ms % 1000 !== 0 ? -1000 : 0), millis * 1000);
}

/** Upper-case hex of every byte value: binary values and GUIDs are in every record. */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0').toUpperCase());

function hex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX_BYTE[bytes[i]!]!;
  return s;
}

function guid(c: Cursor): string {
  const d1 = c.u32();
  const d2 = c.u16();
  const d3 = c.u16();
  const rest = hex(c.take(8));
  return `${d1.toString(16).padStart(8, '0')}-${d2.toString(16).padStart(4, '0')}-${d3.toString(16).padStart(4, '0')}`.toUpperCase() + `-${rest.slice(0, 4)}-${rest.slice(4)}`;
}

function sid(c: Cursor): string {
  const revision = c.u8();
  const count = c.u8();
  const auth = c.take(6);
  let authority = 0;
  for (const b of auth) authority = authority * 256 + b;
  let s = `S-${revision}-${authority}`;
  for (let i = 0; i < count; i++) s += `-${c.u32()}`;
  return s;
}

/** A string value ends at its first NUL, as the crate reads it. */
function stripNul(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/**
 * Trailing spaces of a string value are dropped: the JSON exports this reader is
 * checked against (SigmaHQ's regression data) have them dropped (a Sysmon
 * `CommandLine` ends in a space in the record, not in the export), so rules see
 * the same text whether they read the export or the recording.
 */
function trimSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** One fixed-size element of a scalar type (arrays are runs of these). */
function fixed(type: number, c: Cursor): Scalar {
  switch (type) {
    case 0x03: { const v = c.u8(); return v > 127 ? v - 256 : v; }
    case 0x04: return c.u8();
    case 0x05: { const v = c.u16(); return v > 32767 ? v - 65536 : v; }
    case 0x06: return c.u16();
    case 0x07: { c.need(4); const v = c.view.getInt32(c.pos, true); c.pos += 4; return v; }
    case 0x08: return c.u32();
    case 0x09: { c.need(8); const v = c.view.getBigInt64(c.pos, true); c.pos += 8; return Number(v); }
    case 0x0a: return Number(c.u64());
    case 0x0b: { c.need(4); const v = c.view.getFloat32(c.pos, true); c.pos += 4; return floatText(Number.isFinite(v) ? Number(v.toPrecision(shortestF32(v))) : v); }
    case 0x0c: { c.need(8); const v = c.view.getFloat64(c.pos, true); c.pos += 8; return floatText(v); }
    case 0x0d: return c.u32() !== 0;
    case 0x0f: return guid(c);
    case 0x11: return filetime(c.u64());
    case 0x12: return systemtime(c);
    case 0x14: return `0x${c.u32().toString(16)}`;
    case 0x15: return `0x${c.u64().toString(16)}`;
    default: throw new EvtxFormatError(`value type 0x${type.toString(16)} has no fixed size`, c.pos);
  }
}

/**
 * A float as the crate writes it (always as text, shortest form, Rust style):
 * `2.0` for an integral value, `1e21` rather than `1e+21`, `NaN`, `inf`.
 */
function floatText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const s = String(v).replace('e+', 'e');
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** The fewest significant digits that read back as the same float32 (Rust prints f32 that way). */
function shortestF32(v: number): number {
  for (let p = 1; p <= 9; p++) if (Math.fround(Number(v.toPrecision(p))) === v) return p;
  return 9;
}

const FIXED_SIZE: Readonly<Record<number, number>> = {
  0x03: 1, 0x04: 1, 0x05: 2, 0x06: 2, 0x07: 4, 0x08: 4, 0x09: 8, 0x0a: 8, 0x0b: 4, 0x0c: 8, 0x0d: 4, 0x0f: 16, 0x11: 8, 0x12: 16, 0x14: 4, 0x15: 8,
};

/**
 * Decode one substitution value of `type` occupying exactly `size` bytes of `c`
 * (the template instance's value descriptor gives both). Arrays (type | 0x80)
 * become JSON arrays, as the crate exports them.
 */
export function decodeValue(type: number, size: number, c: Cursor): BinValue {
  // The common cases decode in place (no sub-cursor): null, strings, fixed-size scalars of their exact size.
  c.need(size);
  const start = c.pos;
  if (type === 0x00 || type === 0x01) {
    c.pos = start + size;
    return type === 0x00 ? null : trimSpaces(stripNul(c.buf.toString('utf16le', start, start + (size & ~1))));
  }
  if (size === FIXED_SIZE[type]) {
    const value = fixed(type, c);
    c.pos = start + size;
    return value;
  }
  const v = c.sub(size);
  switch (type) {
    case 0x00: return null;
    case 0x01: return trimSpaces(stripNul(v.utf16(Math.floor(size / 2))));
    case 0x02: return stripNul(new TextDecoder('utf-8').decode(v.take(size)));
    case 0x0e: return hex(v.take(size));
    case 0x10: return size === 8 ? `0x${v.u64().toString(16)}` : `0x${v.u32().toString(16)}`;
    case 0x13: return sid(v);
    case 0x20: return hex(v.take(size)); // an event handle has no textual form; its bytes are kept
    case BINXML_TYPE: return { fragment: v };
    case 0x23: return hex(v.take(size));
    case 0x81: return stringArray(v.take(size));
    case 0x82: return new TextDecoder('utf-8').decode(v.take(size)).split('\0').filter((s, i, a) => i < a.length - 1 || s !== '');
    case 0x8e: return [hex(v.take(size))];
    case 0x93: {
      const out: Scalar[] = [];
      while (v.pos < v.end) out.push(sid(v));
      return out;
    }
    default:
      if (type & 0x80) {
        const el = FIXED_SIZE[type & 0x7f];
        if (el === undefined) throw new EvtxFormatError(`unknown array value type 0x${type.toString(16)}`, c.pos - size);
        if (size % el !== 0) throw new EvtxFormatError(`array of type 0x${type.toString(16)} has size ${size}, not a multiple of ${el}`, c.pos - size);
        const out: Scalar[] = [];
        while (v.pos < v.end) out.push(fixed(type & 0x7f, v));
        return out;
      }
      if (FIXED_SIZE[type] === undefined) throw new EvtxFormatError(`unknown value type 0x${type.toString(16)}`, c.pos - size);
      if (size < FIXED_SIZE[type]) throw new EvtxFormatError(`value of type 0x${type.toString(16)} needs ${FIXED_SIZE[type]} bytes, has ${size}`, c.pos - size);
      return fixed(type, v);
  }
}

function stringArray(bytes: Uint8Array): Scalar[] {
  const parts = decodeUtf16(bytes.subarray(0, bytes.length - (bytes.length % 2))).split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** A value token's inline value (token 0x05): only strings are written inline in practice. */
export function decodeInlineValue(type: number, c: Cursor): BinValue {
  if (type === 0x01) return c.utf16(c.u16());
  const size = FIXED_SIZE[type];
  if (size === undefined) throw new EvtxFormatError(`inline value of type 0x${type.toString(16)} is not supported`, c.pos);
  return decodeValue(type, size, c);
}

/** The text form of a value, for attribute keys and mixed content. */
export function valueText(v: BinValue): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.map((x) => (x === null ? '' : String(x))).join(',');
  if (typeof v === 'object') return '';
  return String(v);
}
