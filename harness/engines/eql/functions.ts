import { type IpAddress, type Network, parseIp } from '../common/cidr.ts';
import { scalarText } from '../common/fields.ts';

/**
 * The Elasticsearch EQL function library (eql-function-ref): null in → null
 * out unless stated, `~` variants compare case-insensitively, positions are
 * UTF-16 code units (Java strings). Implementations take single values; the
 * compiler maps them over multi-valued fields.
 */
export type ArgKind = 'string' | 'number' | 'any' | 'boolean';

export interface FunctionSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly ci: boolean;
  /** Expected type of each argument (last one repeats), checked against literals at compile time. */
  readonly args: readonly ArgKind[];
  readonly returns: 'string' | 'number' | 'boolean';
}

const spec = (name: string, min: number, max: number, ci: boolean, args: ArgKind[], returns: FunctionSpec['returns']): FunctionSpec => ({ name, min, max, ci, args, returns });

export const FUNCTIONS: readonly FunctionSpec[] = [
  spec('add', 2, 2, false, ['number', 'number'], 'number'),
  spec('between', 3, 4, true, ['string', 'string', 'string', 'boolean'], 'string'),
  spec('cidrMatch', 2, Infinity, false, ['any', 'string'], 'boolean'),
  spec('concat', 1, Infinity, false, ['any'], 'string'),
  spec('divide', 2, 2, false, ['number', 'number'], 'number'),
  spec('endsWith', 2, 2, true, ['string', 'string'], 'boolean'),
  spec('indexOf', 2, 3, true, ['string', 'string', 'number'], 'number'),
  spec('length', 1, 1, false, ['string'], 'number'),
  spec('modulo', 2, 2, false, ['number', 'number'], 'number'),
  spec('multiply', 2, 2, false, ['number', 'number'], 'number'),
  spec('number', 1, 2, false, ['string', 'number'], 'number'),
  spec('startsWith', 2, 2, true, ['string', 'string'], 'boolean'),
  spec('string', 1, 1, false, ['any'], 'string'),
  spec('stringContains', 2, 2, true, ['string', 'string'], 'boolean'),
  spec('substring', 2, 3, false, ['string', 'number', 'number'], 'string'),
  spec('subtract', 2, 2, false, ['number', 'number'], 'number'),
];

const BY_LOWER = new Map(FUNCTIONS.map((f) => [f.name.toLowerCase(), f]));

/** Function names are case-insensitive (`startswith` = `startsWith`). */
export function lookupFunction(name: string): FunctionSpec | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

type V = unknown;
const str = (v: V): string | null => (typeof v === 'string' ? v : null);
const num = (v: V): number | null => (typeof v === 'number' && !Number.isNaN(v) ? v : null);
const fold = (s: string): string => s.toLowerCase();

/** Java arithmetic: integer operands give an integer result (division truncates toward zero). */
export function arith(op: '+' | '-' | '*' | '/' | '%', a: V, b: V, floatOperand = false): number | null {
  const x = num(a);
  const y = num(b);
  if (x === null || y === null) return null;
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      // Decision (eql.md §6): division by zero is null, not a failed search.
      if (y === 0) return null;
      return !floatOperand && Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y;
    case '%':
      if (y === 0) return null;
      return x % y;
  }
}

/** Java `String.valueOf` of a scalar, as `concat` and `string` render it. */
export function javaText(v: V): string | null {
  return v === null || v === undefined ? null : (scalarText(v) ?? null);
}

function between(s: V, l: V, r: V, greedy: V, ci: boolean): string | null {
  const src = str(s);
  const left = str(l);
  const right = str(r);
  if (src === null || left === null || right === null) return null;
  const hay = ci ? fold(src) : src;
  const lft = ci ? fold(left) : left;
  const rgt = ci ? fold(right) : right;
  const idx = hay.indexOf(lft);
  if (idx < 0) return '';
  const start = idx + lft.length;
  const end = greedy === true ? hay.lastIndexOf(rgt) : hay.indexOf(rgt, start);
  if (end < 0 || end < start) return '';
  return src.slice(start, end);
}

function indexOf(s: V, x: V, start: V, ci: boolean): number | null {
  const src = str(s);
  const sub = str(x);
  if (src === null || sub === null) return null;
  let from = num(start) ?? 0;
  if (from < 0) from = 0;
  if (from > src.length) return null;
  const i = (ci ? fold(src) : src).indexOf(ci ? fold(sub) : sub, Math.trunc(from));
  return i < 0 ? null : i;
}

function substring(s: V, a: V, b: V): string | null {
  const src = str(s);
  const start = num(a);
  if (src === null || start === null) return null;
  const len = src.length;
  const norm = (i: number): number => (i < 0 ? Math.max(0, len + i) : Math.min(i, len));
  const from = norm(Math.trunc(start));
  const endArg = num(b);
  const to = endArg === null ? len : norm(Math.trunc(endArg));
  return from >= to ? '' : src.slice(from, to);
}

/** `number(s[, base])`: Java Long/Double parsing; garbage → null (Decision, eql.md §9). */
export function toNumber(s: V, base: V): number | null {
  if (typeof s === 'number') return s;
  const text = str(s);
  if (text === null) return null;
  let t = text.trim();
  let radix = num(base) ?? 10;
  let sign = 1;
  if (t.startsWith('+') || t.startsWith('-')) {
    if (t.startsWith('-')) sign = -1;
    t = t.slice(1);
  }
  if (/^0x/i.test(t)) {
    radix = 16;
    t = t.slice(2);
  }
  if (t === '') return null;
  if (radix === 10) {
    if (/^\d+$/.test(t)) return sign * Number(t);
    if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return sign * Number(t);
    return null;
  }
  if (!Number.isInteger(radix) || radix < 2 || radix > 36) return null;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
  for (const ch of t.toLowerCase()) if (!digits.includes(ch)) return null;
  return sign * parseInt(t, radix);
}

/** Parse a cidrMatch argument; host bits are masked off as Elasticsearch does. */
export function parseCidr(text: string): Network | undefined {
  const [addrText, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const addr = parseIp(addrText ?? '');
  if (!addr) return undefined;
  const bits = addr.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return undefined;
  const shift = BigInt(bits - prefix);
  return { family: addr.family, base: (addr.value >> shift) << shift, prefix };
}

function inNetwork(net: Network, ip: IpAddress): boolean {
  if (ip.family !== net.family) return false;
  const shift = BigInt((net.family === 4 ? 32 : 128) - net.prefix);
  return ip.value >> shift === net.base >> shift;
}

/** Implementation of one function over single (non-array) argument values. */
export type FunctionImpl = (args: readonly V[]) => V;

/**
 * `floatArgs`: an argument is statically a float (a `4.0` literal), so division is not integral.
 * `fieldQuery`: the call is `f(field, "literal")`, which Elasticsearch runs as a query rather
 * than a script (for `stringContains` a `*literal*` wildcard query: docs/semantics-verified.md §8).
 */
export function implement(name: string, ci: boolean, constArgs: readonly V[] = [], floatArgs = false, fieldQuery = false): FunctionImpl {
  switch (name) {
    case 'add':
      return (a) => arith('+', a[0], a[1]);
    case 'subtract':
      return (a) => arith('-', a[0], a[1]);
    case 'multiply':
      return (a) => arith('*', a[0], a[1]);
    case 'divide':
      return (a) => arith('/', a[0], a[1], floatArgs);
    case 'modulo':
      return (a) => arith('%', a[0], a[1]);
    case 'between':
      return (a) => between(a[0], a[1], a[2], a[3], ci);
    case 'cidrMatch': {
      // The CIDR arguments are literals (checked by the compiler), parsed once.
      const nets = constArgs.slice(1).map((c) => (typeof c === 'string' ? parseCidr(c) : undefined));
      return (a) => {
        if (a[0] === null || a[0] === undefined) return null;
        const text = javaText(a[0]);
        const ip = text === null ? undefined : parseIp(text);
        if (!ip) return false;
        for (const n of nets) if (n && inNetwork(n, ip)) return true;
        return false;
      };
    }
    case 'concat':
      return (a) => {
        let out = '';
        for (const v of a) {
          const t = javaText(v);
          if (t === null) return null;
          out += t;
        }
        return out;
      };
    case 'endsWith':
      return (a) => {
        const s = str(a[0]);
        const x = str(a[1]);
        if (s === null || x === null) return null;
        return ci ? fold(s).endsWith(fold(x)) : s.endsWith(x);
      };
    case 'startsWith':
      return (a) => {
        const s = str(a[0]);
        const x = str(a[1]);
        if (s === null || x === null) return null;
        return ci ? fold(s).startsWith(fold(x)) : s.startsWith(x);
      };
    case 'stringContains':
      return (a) => {
        const s = str(a[0]);
        const x = str(a[1]);
        if (s === null || x === null) return null;
        // The script (StringUtils.stringContains) answers false when either string is empty;
        // the wildcard query `**` that a field and "" become matches every value.
        if (!fieldQuery && (s === '' || x === '')) return false;
        return ci ? fold(s).includes(fold(x)) : s.includes(x);
      };
    case 'indexOf':
      return (a) => indexOf(a[0], a[1], a[2], ci);
    case 'length':
      return (a) => {
        const s = str(a[0]);
        return s === null ? null : s.length;
      };
    case 'number':
      return (a) => toNumber(a[0], a[1]);
    case 'string':
      return (a) => javaText(a[0]);
    case 'substring':
      return (a) => substring(a[0], a[1], a[2]);
    default:
      throw new Error(`no implementation for function ${name}`);
  }
}
