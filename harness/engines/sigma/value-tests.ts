/**
 * Final values → tests over one field's values (rules spec "Value types" and
 * sigma.md §4): strings as case-folded wildcard patterns against any scalar's
 * text, numbers numerically against numbers and decimal strings, booleans,
 * null, regex search, CIDR, comparisons, field references, existence and time
 * parts. Each test also explains itself and describes itself as a predicate leaf.
 *
 * Classes rather than closures: a rule corpus compiles thousands of these, and
 * a class costs nothing per instance beyond its fields. String patterns compile
 * to matchers on first use.
 */
import type { Event } from '../../core/event.ts';
import { networkContains, parseIp } from '../common/cidr.ts';
import { fieldGetter, scalarText, type FieldGetter } from '../common/fields.ts';
import { normalizePattern, printPattern, type Pattern } from '../common/pattern.ts';
import { compilePattern, type StringMatcher } from '../common/pattern-matcher.ts';
import type { Predicate } from '../common/predicate.ts';
import { compileRegex, type SafeRegex } from '../common/regex.ts';
import { requiredLiterals } from '../common/regex-literals.ts';
import { parseTimestamp } from '../common/time.ts';
import type { FieldValues } from './event-scope.ts';
import { StringGroup, type StringPart } from './string-group.ts';
import type { CompareOp, SigmaValue, TimePart } from './values.ts';

export interface ValueTest {
  /**
   * `vals`: the field's values, flattened (empty = field missing); for keywords every leaf value of the event.
   * `source`: where `vals` came from, for tests that can use their shared folded text.
   */
  test(vals: readonly unknown[], event: Event, source?: FieldValues): boolean;
  /** Why the test came out as it did, for explain(). */
  why(vals: readonly unknown[], event: Event, result: boolean): string;
  predicate(field: string | null): Predicate;
}

const MAX_SHOWN = 120;
function show(v: unknown): string {
  const s = typeof v === 'string' ? `"${v}"` : v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…"` : s;
}
function showAll(vals: readonly unknown[]): string {
  return vals.length === 1 ? show(vals[0]) : `[${vals.slice(0, 5).map(show).join(', ')}${vals.length > 5 ? ', …' : ''}]`;
}
function failWhy(vals: readonly unknown[], verb: string, expected: string): string {
  return vals.length === 0 ? 'field missing' : `${showAll(vals)} ${verb} ${expected}`;
}

const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
/** A number, or a string that is a decimal number (`"0x1250"` is not); booleans are not numbers. */
export function numericOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'string' && DECIMAL.test(v)) return Number(v);
  return undefined;
}

/** Shared shape: a per-element predicate lifted to "any element of the field". */
abstract class ElementTest implements ValueTest {
  abstract one(x: unknown, e: Event): boolean;
  abstract expected(): [verb: string, what: string];
  abstract predicate(field: string | null): Predicate;

  test(vals: readonly unknown[], e: Event): boolean {
    for (let i = 0; i < vals.length; i++) if (this.one(vals[i], e)) return true;
    return false;
  }

  why(vals: readonly unknown[], e: Event, r: boolean): string {
    if (r) return show(vals.find((x) => this.one(x, e)));
    const [verb, what] = this.expected();
    return failWhy(vals, verb, what);
  }
}

function patternVerb(p: Pattern): [string, string] {
  const shape = p.map((t) => (t.kind === 'text' ? 'T' : t.kind === 'star' ? '*' : '?')).join('');
  const lit = (i: number): string => `"${(p[i] as { text: string }).text}"`;
  switch (shape) {
    case '':
      return ['is not', 'empty'];
    case 'T':
      return ['does not equal', lit(0)];
    case 'T*':
      return ['does not start with', lit(0)];
    case '*T':
      return ['does not end with', lit(1)];
    case '*T*':
      return ['does not contain', lit(1)];
    default:
      return ['does not match', `"${printPattern(p)}"`];
  }
}

class StringTest extends ElementTest {
  private matcher: StringMatcher | undefined;
  constructor(
    readonly pattern: Pattern,
    readonly cased: boolean,
  ) {
    super();
  }
  one(x: unknown): boolean {
    const t = typeof x === 'string' ? x : scalarText(x);
    if (t === undefined) return false;
    this.matcher ??= compilePattern(this.pattern, this.cased ? 'sensitive' : 'insensitive');
    return this.matcher(t);
  }
  expected(): [string, string] {
    const [verb, what] = patternVerb(normalizePattern(this.pattern));
    return [verb, what + (this.cased ? ' (case-sensitive)' : '')];
  }
  predicate(field: string | null): Predicate {
    return { kind: 'match', field, pattern: normalizePattern(this.pattern), mode: this.cased ? 'sensitive' : 'insensitive' };
  }
}

class NumberTest extends ElementTest {
  constructor(private readonly n: number) {
    super();
  }
  one(x: unknown): boolean {
    return typeof x !== 'boolean' && numericOf(x) === this.n;
  }
  expected(): [string, string] {
    return ['is not', String(this.n)];
  }
  predicate(field: string | null): Predicate {
    return field === null ? { kind: 'match', field, pattern: [{ kind: 'text', text: String(this.n) }], mode: 'insensitive' } : { kind: 'equals', field, value: this.n };
  }
}

class BooleanTest extends ElementTest {
  constructor(private readonly b: boolean) {
    super();
  }
  one(x: unknown): boolean {
    return x === this.b || (typeof x === 'string' && x.toLowerCase() === String(this.b));
  }
  expected(): [string, string] {
    return ['is not', String(this.b)];
  }
  predicate(field: string | null): Predicate {
    return field === null ? { kind: 'match', field, pattern: [{ kind: 'text', text: String(this.b) }], mode: 'insensitive' } : { kind: 'equals', field, value: this.b };
  }
}

class NullTest implements ValueTest {
  test(vals: readonly unknown[]): boolean {
    return vals.length === 0 || vals.includes(null);
  }
  why(vals: readonly unknown[], _e: Event, r: boolean): string {
    return vals.length === 0 ? 'field missing' : r ? 'null' : `${showAll(vals)} is not null`;
  }
  predicate(field: string | null): Predicate {
    return { kind: 'null', field: field ?? '' };
  }
}

/**
 * Regex search, compiled with the rule: the linear-time compiler may refuse a
 * pattern the rule author's engine accepts, and that must be a load error with
 * the rule's location, never an exception on some later event.
 */
class RegexTest extends ElementTest {
  private readonly re: SafeRegex;
  /**
   * Folded text every match contains (one per top-level alternative): a value whose
   * folded text has none of them cannot match, so the regex need not run.
   */
  private readonly literals: readonly string[] | undefined;
  constructor(
    private readonly source: string,
    private readonly flags: string,
  ) {
    super();
    this.re = compileRegex(source, { ignoreCase: flags.includes('i'), multiline: flags.includes('m'), dotAll: flags.includes('s') });
    this.literals = requiredLiterals(source, flags);
  }
  override test(vals: readonly unknown[], e: Event, source?: FieldValues): boolean {
    const lits = this.literals;
    if (lits === undefined || source === undefined || vals.length === 0) return super.test(vals, e);
    const folded = source.foldedOf(e, vals);
    for (let i = 0; i < vals.length; i++) {
      const text = scalarText(vals[i]);
      if (text === undefined) continue;
      const f = folded?.[i] ?? text.toLowerCase();
      let possible = false;
      for (let j = 0; j < lits.length && !possible; j++) possible = f.includes(lits[j]!);
      if (possible && this.re.test(text)) return true;
    }
    return false;
  }
  one(x: unknown): boolean {
    const t = scalarText(x);
    return t !== undefined && this.re.test(t);
  }
  expected(): [string, string] {
    return ['does not match', `/${this.source}/${this.flags}`];
  }
  predicate(field: string | null): Predicate {
    return { kind: 'regex', field, source: this.source, flags: this.flags };
  }
}

class CidrTest extends ElementTest {
  constructor(private readonly v: Extract<SigmaValue, { kind: 'cidr' }>) {
    super();
  }
  one(x: unknown): boolean {
    if (typeof x !== 'string') return false;
    const ip = parseIp(x);
    return ip !== undefined && networkContains(this.v.network, ip);
  }
  expected(): [string, string] {
    return ['is not in', this.v.text];
  }
  predicate(field: string | null): Predicate {
    return { kind: 'cidr', field: field ?? '', network: this.v.text };
  }
}

const COMPARE_TEXT: Record<CompareOp, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

class CompareTest extends ElementTest {
  constructor(
    private readonly op: CompareOp,
    private readonly value: number,
  ) {
    super();
  }
  one(x: unknown): boolean {
    const n = typeof x === 'boolean' ? undefined : numericOf(x);
    if (n === undefined) return false;
    switch (this.op) {
      case 'gt':
        return n > this.value;
      case 'gte':
        return n >= this.value;
      case 'lt':
        return n < this.value;
      case 'lte':
        return n <= this.value;
    }
  }
  expected(): [string, string] {
    return ['is not a number', `${COMPARE_TEXT[this.op]} ${this.value}`];
  }
  predicate(field: string | null): Predicate {
    return { kind: 'range', field: field ?? '', op: this.op, value: this.value };
  }
}

type Position = 'equals' | 'contains' | 'startswith' | 'endswith';

class FieldrefTest extends ElementTest {
  private readonly other: FieldGetter;
  private readonly position: Position;
  constructor(private readonly v: Extract<SigmaValue, { kind: 'fieldref' }>) {
    super();
    this.other = fieldGetter(v.other);
    this.position = v.leading && v.trailing ? 'contains' : v.leading ? 'endswith' : v.trailing ? 'startswith' : 'equals';
  }
  private rel(a: string, b: string): boolean {
    if (!this.v.cased) [a, b] = [a.toLowerCase(), b.toLowerCase()];
    switch (this.position) {
      case 'equals':
        return a === b;
      case 'contains':
        return a.includes(b);
      case 'startswith':
        return a.startsWith(b);
      case 'endswith':
        return a.endsWith(b);
    }
  }
  one(x: unknown, e: Event): boolean {
    const a = scalarText(x);
    if (a === undefined) return false;
    for (const y of this.other(e)) {
      const b = scalarText(y);
      if (b !== undefined && this.rel(a, b)) return true;
    }
    return false;
  }
  override why(vals: readonly unknown[], e: Event, r: boolean): string {
    const refs = this.other(e);
    if (refs.length === 0) return `referenced field ${this.v.other} missing`;
    const verb = this.position === 'equals' ? 'equal' : this.position.replace(/s$/, '');
    return r ? `${showAll(vals)} ${this.position} ${this.v.other} ${showAll(refs)}` : failWhy(vals, `does not ${verb}`, `${this.v.other} ${showAll(refs)}`);
  }
  expected(): [string, string] {
    return ['does not relate to', this.v.other];
  }
  predicate(field: string | null): Predicate {
    return { kind: 'fieldref', field: field ?? '', other: this.v.other, position: this.position, mode: this.v.cased ? 'sensitive' : 'insensitive' };
  }
}

class ExistsTest implements ValueTest {
  constructor(private readonly want: boolean) {}
  test(vals: readonly unknown[]): boolean {
    return vals.length > 0 === this.want;
  }
  why(vals: readonly unknown[]): string {
    return vals.length > 0 ? 'field present' : 'field missing';
  }
  predicate(field: string | null): Predicate {
    const leaf: Predicate = { kind: 'exists', field: field ?? '' };
    return this.want ? leaf : { kind: 'not', child: leaf };
  }
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  t.setUTCDate(t.getUTCDate() + 4 - (t.getUTCDay() || 7));
  return Math.ceil(((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86400000 + 1) / 7);
}

/** The time part of an event value (ISO-8601, UTC when no offset; epoch s / ms); undefined if not a time. */
export function timePartOf(part: TimePart, v: unknown): number | undefined {
  const ms = parseTimestamp(v);
  if (ms === undefined) return undefined;
  const d = new Date(ms);
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'week':
      return isoWeek(d);
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
  }
}

class TimePartTest extends ElementTest {
  constructor(private readonly v: Extract<SigmaValue, { kind: 'timepart' }>) {
    super();
  }
  one(x: unknown): boolean {
    return timePartOf(this.v.part, x) === this.v.value;
  }
  expected(): [string, string] {
    return [`has no ${this.v.part}`, String(this.v.value)];
  }
  predicate(field: string | null): Predicate {
    return { kind: 'opaque', field, description: `${this.v.part} of ${field ?? 'the timestamp'} is ${this.v.value}` };
  }
}

/** OR over the alternatives one value expanded into (windash, base64offset, expand). */
class ExpansionTest implements ValueTest {
  /** All alternatives are strings (they usually are): one pass over the values. Built on first use. */
  private group: StringGroup | null | undefined;
  constructor(readonly tests: readonly ValueTest[]) {}
  test(vals: readonly unknown[], e: Event): boolean {
    if (this.group === undefined) {
      const parts = stringParts(this.tests);
      this.group = parts.rest.length === 0 ? new StringGroup(parts.strings) : null;
    }
    if (this.group) return this.group.test(vals);
    for (const t of this.tests) if (t.test(vals, e)) return true;
    return false;
  }
  why(vals: readonly unknown[], e: Event, r: boolean): string {
    if (vals.length === 0) return 'field missing';
    const hit = this.tests.findIndex((t) => t.test(vals, e));
    if (r && hit >= 0) return `alternative ${hit + 1} of ${this.tests.length}: ${this.tests[hit]!.why(vals, e, true)}`;
    return `none of ${this.tests.length} alternatives, e.g. ${this.tests[0]!.why(vals, e, false)}`;
  }
  predicate(field: string | null): Predicate {
    return { kind: 'or', children: this.tests.map((t) => t.predicate(field)) };
  }
}

const NULL_TEST = new NullTest();

/**
 * Split OR-linked tests into plain string patterns (expansions flattened) and the
 * rest, so the strings can be tested together as a StringGroup.
 */
export function stringParts(tests: readonly ValueTest[]): { strings: StringPart[]; rest: ValueTest[] } {
  const strings: StringPart[] = [];
  const rest: ValueTest[] = [];
  const visit = (t: ValueTest): void => {
    if (t instanceof StringTest) strings.push({ pattern: t.pattern, cased: t.cased });
    else if (t instanceof ExpansionTest) t.tests.forEach(visit);
    else rest.push(t);
  };
  tests.forEach(visit);
  return { strings, rest };
}

/** Compile one final value into its test (throws the regex compiler's Error for an invalid regex). */
export function valueTest(v: SigmaValue): ValueTest {
  switch (v.kind) {
    case 'string':
      return new StringTest(v.s, v.cased);
    case 'number':
      return new NumberTest(v.value);
    case 'boolean':
      return new BooleanTest(v.value);
    case 'null':
      return NULL_TEST;
    case 're':
      return new RegexTest(v.source, v.flags);
    case 'cidr':
      return new CidrTest(v);
    case 'compare':
      return new CompareTest(v.op, v.value);
    case 'fieldref':
      return new FieldrefTest(v);
    case 'exists':
      return new ExistsTest(v.value);
    case 'timepart':
      return new TimePartTest(v);
    case 'expansion':
      return v.values.length === 1 ? valueTest(v.values[0]!) : new ExpansionTest(v.values.map(valueTest));
  }
}
