import { Cursor, decodeUtf16, utf16Slice } from './cursor.ts';
import { EvtxFormatError } from './errors.ts';

/**
 * A decoded Binary XML value, already in the shape the JSON export uses (the
 * omerbenamram/evtx crate's): strings, numbers, booleans, null, arrays of them.
 * An embedded Binary XML fragment (type 0x21) is kept as raw bytes until expanded.
 */
export type Scalar = string | number | boolean | null;
export type BinValue = Scalar | readonly Scalar[] | { readonly fragment: Cursor };

export const BINXML_TYPE = 0x21;

/** Two digits of 0–99, for dates: every record has one or two. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const DAY_MS = 86_400_000;
/** Milliseconds from 1601-01-01 to 1970-01-01: FILETIME counts from the first, Date from the second. */
const FILETIME_EPOCH_MS = 11_644_473_600_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * ISO 8601 with 6 fractional digits and `Z`, as the crate prints FILETIME and SYSTEMTIME
 * (`ms` since 1970, `micros` the microseconds within its second). The civil date is
 * computed from the day number (H. Hinnant's days-to-civil), not through a Date object.
 */
function isoMicros(ms: number, micros: number): string {
  if (!(Math.abs(ms) <= 8.64e15)) return String(ms); // outside what a Date can hold
  const days = Math.floor(ms / DAY_MS);
  const inDay = ms - days * DAY_MS;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const secs = Math.floor(inDay / 1000);
  const year = y >= 1000 && y <= 9999 ? String(y) : `${y < 0 ? '-' : ''}${pad(Math.abs(y), 4)}`;
  const frac = TWO_DIGITS[Math.floor(micros / 10000)]! + TWO_DIGITS[Math.floor(micros / 100) % 100]! + TWO_DIGITS[micros % 100]!;
  return `${year}-${TWO_DIGITS[month]!}-${TWO_DIGITS[day]!}T${TWO_DIGITS[Math.floor(secs / 3600)]!}:${TWO_DIGITS[Math.floor(secs / 60) % 60]!}:${TWO_DIGITS[secs % 60]!}.${frac}Z`;
}

/**
 * A FILETIME (100 ns ticks since 1601, as its low and high 32 bits) in ISO form, the
 * seventh fractional digit cut. Exact in doubles: 2^32 = 10,000 × 429,496 + 7,296, so
 * whole milliseconds and the ticks left over never pass 2^53.
 */
export function filetime(lo: number, hi: number): string {
  const rest = hi * 7296 + lo;
  const ms = hi * 429496 + Math.floor(rest / 10000) - FILETIME_EPOCH_MS;
  const ticks = rest % 10000;
  const msInSecond = ((ms % 1000) + 1000) % 1000;
  return isoMicros(ms, msInSecond * 1000 + Math.floor(ticks / 10));
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

/**
 * 64-bit hex values written lately (direct-mapped by their low bits): `Keywords` and logon
 * IDs are a few values, in every record.
 */
const HEX64_SLOTS = 64;
const hex64Lo = new Int32Array(HEX64_SLOTS);
const hex64Hi = new Int32Array(HEX64_SLOTS);
const hex64Text: string[] = Array.from({ length: HEX64_SLOTS }, () => '0x0');

/** A 64-bit value as lower-case hex, `0x` first. */
function hex64(lo: number, hi: number): string {
  const slot = (lo ^ hi) & (HEX64_SLOTS - 1);
  if (hex64Lo[slot] === (lo | 0) && hex64Hi[slot] === (hi | 0)) return hex64Text[slot]!;
  const text = hi === 0 ? `0x${lo.toString(16)}` : `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`;
  hex64Lo[slot] = lo;
  hex64Hi[slot] = hi;
  hex64Text[slot] = text;
  return text;
}

/** GUIDs written lately (direct-mapped): a provider's GUID is in each of its records. */
const GUID_SLOTS = 32;
const guidWords = new Int32Array(GUID_SLOTS * 4);
const guidText: string[] = Array.from({ length: GUID_SLOTS }, () => '00000000-0000-0000-0000-000000000000');

/** Upper case, without braces: the first three groups little-endian, the last two as bytes. */
function guid(c: Cursor): string {
  c.need(16);
  const b = c.bytes;
  const p = c.pos;
  c.pos += 16;
  const v = c.view;
  const w0 = v.getInt32(p, true);
  const w1 = v.getInt32(p + 4, true);
  const w2 = v.getInt32(p + 8, true);
  const w3 = v.getInt32(p + 12, true);
  const slot = (w0 ^ w1 ^ w2 ^ w3 ^ (w3 >>> 16)) & (GUID_SLOTS - 1);
  const at = slot * 4;
  if (guidWords[at] === w0 && guidWords[at + 1] === w1 && guidWords[at + 2] === w2 && guidWords[at + 3] === w3) return guidText[slot]!;
  const h = HEX_BYTE;
  const text = `${h[b[p + 3]!]!}${h[b[p + 2]!]!}${h[b[p + 1]!]!}${h[b[p]!]!}-${h[b[p + 5]!]!}${h[b[p + 4]!]!}-${h[b[p + 7]!]!}${h[b[p + 6]!]!}-${h[b[p + 8]!]!}${h[b[p + 9]!]!}-${h[b[p + 10]!]!}${h[b[p + 11]!]!}${h[b[p + 12]!]!}${h[b[p + 13]!]!}${h[b[p + 14]!]!}${h[b[p + 15]!]!}`;
  guidWords[at] = w0;
  guidWords[at + 1] = w1;
  guidWords[at + 2] = w2;
  guidWords[at + 3] = w3;
  guidText[slot] = text;
  return text;
}

function sid(c: Cursor): string {
  const revision = c.u8();
  const count = c.u8();
  c.need(6);
  let authority = 0;
  for (let i = 0; i < 6; i++) authority = authority * 256 + c.bytes[c.pos + i]!;
  c.pos += 6;
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
    // High half × 2^32 is exact, so the sum rounds once, as Number(BigInt) does.
    case 0x09: { const lo = c.u32(); c.need(4); const hi = c.view.getInt32(c.pos, true); c.pos += 4; return hi * 4294967296 + lo; }
    case 0x0a: { const lo = c.u32(); return c.u32() * 4294967296 + lo; }
    case 0x0b: { c.need(4); const v = c.view.getFloat32(c.pos, true); c.pos += 4; return floatText(Number.isFinite(v) ? Number(v.toPrecision(shortestF32(v))) : v); }
    case 0x0c: { c.need(8); const v = c.view.getFloat64(c.pos, true); c.pos += 8; return floatText(v); }
    case 0x0d: return c.u32() !== 0;
    case 0x0f: return guid(c);
    case 0x11: { const lo = c.u32(); return filetime(lo, c.u32()); }
    case 0x12: return systemtime(c);
    case 0x14: return `0x${c.u32().toString(16)}`;
    case 0x15: { const lo = c.u32(); return hex64(lo, c.u32()); }
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
    if (type === 0x00) return null;
    // The usual string ends in a NUL: leave it out before decoding rather than slice it off after.
    let end = start + (size & ~1);
    while (end > start && c.bytes[end - 1] === 0 && c.bytes[end - 2] === 0) end -= 2;
    return trimSpaces(stripNul(utf16Slice(c.buf, start, end)));
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
    case 0x10: return size === 8 ? hex64(v.u32(), v.u32()) : `0x${v.u32().toString(16)}`;
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
