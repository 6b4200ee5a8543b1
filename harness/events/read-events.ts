import { readFileSync } from 'node:fs';
import { HarnessError } from '../core/diagnostics.ts';
import { isEvent, type Event } from '../core/event.ts';

function fail(file: string, line: number, message: string): never {
  throw new HarnessError([{ code: 'events/invalid', severity: 'error', message, span: { file, line, column: 1 } }]);
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Events from a file: a JSON array of objects, or JSON Lines (one object per
 * line; blank lines ignored). Errors name the file and line.
 */
export function parseEvents(file: string, raw: string): Event[] {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const start = text.trimStart();
  if (start.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      fail(file, m ? lineOfOffset(text, Number(m[1])) : 1, `invalid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) fail(file, 1, 'expected a JSON array of events');
    parsed.forEach((ev, i) => {
      if (!isEvent(ev)) fail(file, 1, `element ${i} of the array is not an object`);
    });
    return parsed as Event[];
  }
  const events: Event[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let ev: unknown;
    try {
      ev = JSON.parse(line);
    } catch (e) {
      fail(file, i + 1, `invalid JSON Lines: ${(e as Error).message}`);
    }
    if (!isEvent(ev)) fail(file, i + 1, 'each line must be a JSON object');
    events.push(ev);
  });
  return events;
}

export function readEvents(file: string): Event[] {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    fail(file, 1, `cannot read events: ${(e as Error).message}`);
  }
  return parseEvents(file, text);
}
