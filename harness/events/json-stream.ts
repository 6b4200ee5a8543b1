import { HarnessError } from '../core/diagnostics.ts';
import { isEvent, type Event } from '../core/event.ts';

export function eventsError(file: string, line: number, message: string): never {
  throw new HarnessError([{ code: 'events/invalid', severity: 'error', message, span: { file, line, column: 1 } }]);
}

function countLines(text: string, end = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function parseAt(file: string, text: string, line: number, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    return eventsError(file, line + (m ? countLines(text, Number(m[1])) : 0), `invalid ${what}: ${(e as Error).message}`);
  }
}

/** Text arriving in chunks; consumed text is dropped whenever more is appended. */
class ChunkedText {
  text = '';
  pos = 0;
  private done = false;

  constructor(private readonly chunks: Iterator<string>) {}

  /** Append the next chunk, keeping text from `keepFrom` on; returns how far offsets moved, or -1 at the end. */
  more(keepFrom = this.pos): number {
    if (this.done) return -1;
    const r = this.chunks.next();
    if (r.done) {
      this.done = true;
      return -1;
    }
    this.text = this.text.slice(keepFrom) + r.value;
    this.pos -= keepFrom;
    return keepFrom;
  }
}

/**
 * Events from JSON text arriving in chunks, yielded as they complete, so memory
 * holds one event (and one read block) at a time:
 * - a JSON array of objects, read element by element;
 * - JSON Lines, one object per line (blank lines ignored);
 * - JSON documents one after another (the evtx crate's and SigmaHQ's pretty-printed
 *   exports), recognised when the first line is an unclosed `{`.
 * Errors name the file and the line.
 */
export function* jsonEvents(file: string, chunks: Iterable<string>): Generator<Event> {
  const t = new ChunkedText(chunks[Symbol.iterator]());
  let line = 1;
  for (;;) {
    if (t.pos === 0 && t.text.charCodeAt(0) === 0xfeff) t.pos = 1;
    while (t.pos < t.text.length && isSpace(t.text.charCodeAt(t.pos))) if (t.text.charCodeAt(t.pos++) === 10) line++;
    if (t.pos < t.text.length) break;
    if (t.more() < 0) return;
  }
  if (t.text[t.pos] === '[') {
    t.pos++;
    yield* scanObjects(file, t, line, true);
    return;
  }
  while (t.text.indexOf('\n', t.pos) === -1 && t.more() >= 0);
  const nl = t.text.indexOf('\n', t.pos);
  const first = t.text.slice(t.pos, nl === -1 ? t.text.length : nl).trim();
  if (first.startsWith('{') && !first.endsWith('}')) {
    yield* scanObjects(file, t, line, false);
    return;
  }
  yield* jsonLines(file, t, line - 1);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function* jsonLines(file: string, t: ChunkedText, lineBefore: number): Generator<Event> {
  let line = lineBefore;
  for (;;) {
    const nl = t.text.indexOf('\n', t.pos);
    if (nl === -1) {
      if (t.more() >= 0) continue;
      const last = t.text.slice(t.pos);
      if (last.trim() !== '') yield lineEvent(file, last, line + 1);
      return;
    }
    const text = t.text.slice(t.pos, nl);
    t.pos = nl + 1;
    line++;
    if (text.trim() === '' ) continue;
    yield lineEvent(file, text, line);
  }
}

function lineEvent(file: string, text: string, line: number): Event {
  const ev = parseAt(file, text, line, 'JSON Lines');
  if (!isEvent(ev)) eventsError(file, line, 'each line must be a JSON object');
  return ev;
}

/**
 * Objects one after another, inside an array (`inArray`: separated by commas,
 * closed by `]`) or bare (separated by whitespace). A scanner tracks strings and
 * nesting, so each object is cut out and parsed on its own.
 */
function* scanObjects(file: string, t: ChunkedText, startLine: number, inArray: boolean): Generator<Event> {
  let line = startLine;
  let index = 0;
  let expectComma = false;
  let closed = false;
  for (;;) {
    if (t.pos >= t.text.length) {
      if (t.more() >= 0) continue;
      if (inArray && !closed) eventsError(file, line, 'invalid JSON: the array is not closed');
      return;
    }
    const ch = t.text.charCodeAt(t.pos);
    if (isSpace(ch)) {
      if (ch === 10) line++;
      t.pos++;
      continue;
    }
    if (closed) eventsError(file, line, 'invalid JSON: text after the end of the array');
    if (inArray && ch === 93 /* ] */ && (expectComma || index === 0)) {
      closed = true;
      t.pos++;
      continue;
    }
    if (expectComma) {
      if (ch !== 44 /* , */) eventsError(file, line, `invalid JSON: expected ',' or ']' after element ${index - 1}`);
      expectComma = false;
      t.pos++;
      continue;
    }
    if (ch !== 123 /* { */) eventsError(file, line, inArray ? `element ${index} of the array is not an object` : 'expected a JSON object');
    const objLine = line;
    let depth = 0;
    let inString = false;
    let end = t.pos;
    for (;;) {
      if (end >= t.text.length) {
        const moved = t.more(t.pos);
        if (moved < 0) eventsError(file, objLine, `invalid JSON: ${inArray ? `element ${index}` : 'the object'} is not closed`);
        end -= moved;
        continue;
      }
      const c = t.text.charCodeAt(end++);
      if (inString) {
        if (c === 92 /* \ */) end++;
        else if (c === 34) inString = false;
        else if (c === 10) line++;
        continue;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 10) line++;
      else if ((c === 125 || c === 93) && --depth === 0) break;
    }
    const ev = parseAt(file, t.text.slice(t.pos, end), objLine, 'JSON');
    if (!isEvent(ev)) eventsError(file, objLine, `element ${index} of the array is not an object`);
    t.pos = end;
    yield ev;
    index++;
    expectComma = inArray;
  }
}
