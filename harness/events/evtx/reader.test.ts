import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonEvents } from '../json-stream.ts';
import { readEvents } from '../read-events.ts';
import { evtxItemsOf, readEvtxFile, type EvtxItem } from './index.ts';
import { FIXTURE, fixChecksums, fixtureBytes } from './testing.ts';

const records = (items: Iterable<EvtxItem>) => [...items].flatMap((i) => (i.kind === 'record' ? [i.record] : []));
const problems = (items: Iterable<EvtxItem>) => [...items].flatMap((i) => (i.kind === 'problem' ? [i.problem] : []));

describe('EVTX reader on the shipped fixture', () => {
  test('the record equals its JSON export field for field', () => {
    const expected = [...jsonEvents('fixture.json', [readFileSync(join(import.meta.dirname, 'fixtures', 'wmi-activity-cleareventlog.json'), 'utf8')])];
    const items = [...readEvtxFile(FIXTURE)];
    expect(problems(items)).toEqual([]);
    expect(records(items).map((r) => r.json)).toEqual(expected);
    expect(records(items)[0]).toMatchObject({ offset: 4096 + 512, recordId: expect.any(Number) as number });
    // The record header's written time, formatted when asked for: the export's SystemTime to the microsecond.
    const system = (expected[0] as { Event: { System: { TimeCreated: { '#attributes': { SystemTime: string } } } } }).Event.System;
    expect(records(items)[0]!.written.slice(0, 19)).toBe(system.TimeCreated['#attributes'].SystemTime.slice(0, 19));
  });

  test('the flat Sigma event has System fields, attributes as element_attribute, UserData by name', () => {
    const [ev] = readEvents(FIXTURE);
    expect(ev).toMatchObject({
      Channel: 'Microsoft-Windows-WMI-Activity/Operational',
      Provider_Name: 'Microsoft-Windows-WMI-Activity',
      Computer: 'swachchhanda',
      Security_UserID: 'S-1-5-18',
      ClientProcessId: 25920,
      ResultCode: '0x80041003',
      Id: '{00000000-0000-0000-0000-000000000000}',
    });
    expect(typeof ev!['EventID']).toBe('number');
    expect(ev!['TimeCreated_SystemTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(ev!['Event']).toHaveProperty('System');
  });
});

describe('EVTX reader across chunks', () => {
  test('records of every chunk are read in file order, each chunk with its own names and templates', () => {
    const one = fixtureBytes();
    const chunk = one.subarray(4096, 4096 + 0x10000);
    const file = new Uint8Array(4096 + 3 * 0x10000);
    file.set(one.subarray(0, 4096));
    file.set(chunk, 4096);
    // An empty (never written) chunk between two written ones is skipped silently.
    file.set(chunk, 4096 + 2 * 0x10000);
    const items = [...evtxItemsOf(fixChecksums(file))];
    expect(problems(items)).toEqual([]);
    expect(records(items).map((r) => r.offset)).toEqual([4096 + 512, 4096 + 2 * 0x10000 + 512]);
    expect(records(items)[1]!.json).toEqual(records(items)[0]!.json);
  });

  test('a file of several chunks reads from disk as from memory, a cut last chunk included', () => {
    const one = fixtureBytes();
    const file = new Uint8Array(4096 + 3 * 0x10000 - 1000);
    file.set(one.subarray(0, 4096));
    for (let c = 0; c < 3; c++) file.set(one.subarray(4096, Math.min(4096 + 0x10000, file.length - 4096 - c * 0x10000 + 4096)), 4096 + c * 0x10000);
    const bytes = fixChecksums(file);
    const path = join(mkdtempSync(join(tmpdir(), 'evtx-')), 'three-chunks.evtx');
    writeFileSync(path, bytes);
    const fromDisk = [...readEvtxFile(path)];
    expect(fromDisk).toEqual([...evtxItemsOf(bytes)]);
    expect(records(fromDisk)).toHaveLength(3);
    expect(problems(fromDisk).map((p) => p.offset)).toEqual([file.length]);
  });

  test('a file cut anywhere (inside its header, at or across a chunk end) reads from disk as from memory', () => {
    // The reader finds a file's size by reading, not by asking: each cut is a different way of meeting the end.
    const one = fixtureBytes();
    const whole = new Uint8Array(4096 + 2 * 0x10000);
    whole.set(one.subarray(0, 4096 + 0x10000));
    whole.set(one.subarray(4096, 4096 + 0x10000), 4096 + 0x10000);
    const full = fixChecksums(whole);
    const dir = mkdtempSync(join(tmpdir(), 'evtx-'));
    const cuts = [0, 1, 127, 128, 4095, 4096, 4097, 4096 + 600, 4096 + 0x2000, 4096 + 0x10000 - 1, 4096 + 0x10000, 4096 + 0x10000 + 1, 4096 + 0x10000 + 0x2000 + 1, full.length - 1, full.length];
    for (const cut of cuts) {
      const path = join(dir, `cut-${cut}.evtx`);
      writeFileSync(path, full.subarray(0, cut));
      expect([...readEvtxFile(path)], `cut at ${cut}`).toEqual([...evtxItemsOf(full.subarray(0, cut))]);
    }
    expect(records([...readEvtxFile(join(dir, `cut-${full.length}.evtx`))])).toHaveLength(2);
  });

  test('two files read at once, item by item, read as each does alone (buffers and chunk readers kept between files are not shared)', () => {
    const one = fixtureBytes();
    // The second chunk names an attribute "xmlnz" where the first says "xmlns" (as in the test below): a
    // chunk reader handed from one chunk to another with its names would show it.
    const renamed = fixtureBytes();
    const v = new DataView(renamed.buffer);
    renamed.set(renamed.subarray(4096 + 618, 4096 + 618 + 20), 4096 + 0x9000);
    renamed[4096 + 0x9000 + 8 + 8] = 'z'.charCodeAt(0);
    v.setUint32(4096 + 2198, 0x9000, true);
    const two = new Uint8Array(4096 + 2 * 0x10000);
    two.set(one.subarray(0, 4096 + 0x10000));
    two.set(renamed.subarray(4096, 4096 + 0x10000), 4096 + 0x10000);
    const path = join(mkdtempSync(join(tmpdir(), 'evtx-')), 'two-chunks.evtx');
    writeFileSync(path, fixChecksums(two));
    const alone = [[...readEvtxFile(path)], [...readEvtxFile(FIXTURE)], [...evtxItemsOf(one)]];
    const readers = [readEvtxFile(path), readEvtxFile(FIXTURE), evtxItemsOf(one)];
    const together: EvtxItem[][] = [[], [], []];
    for (let open = readers.length; open > 0; ) {
      open = 0;
      readers.forEach((r, i) => {
        const next = r.next();
        if (!next.done) {
          together[i]!.push(next.value);
          open++;
        }
      });
    }
    expect(together).toEqual(alone);
    const userData = records(together[0]!).map((r) => (r.json['Event'] as Record<string, Record<string, Record<string, unknown>>>)['UserData']!['Operation_ClientFailure']!['#attributes']);
    expect(userData.map((a) => Object.keys(a as object))).toEqual([['xmlns'], ['xmlnz']]);
  });

  test('a file is opened when reading starts and let go when it stops, early or on an error', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'evtx-')), 'missing.evtx');
    // Asking for the reader touches nothing; iterating it names the missing file.
    const reader = readEvtxFile(missing);
    expect(() => [...reader]).toThrow(/ENOENT/);
    // A reader stopped after its first item, and one that failed, leave the next reader whole.
    for (const item of readEvtxFile(FIXTURE)) {
      expect(item.kind).toBe('record');
      break;
    }
    expect([...readEvtxFile(FIXTURE)]).toEqual([...evtxItemsOf(fixtureBytes())]);
  });

  test('a name past the last record (beyond the free-space offset) is read when a template points there, from disk as from memory', () => {
    // The reader reads a chunk from disk only as far as its records go; what lies beyond is read when referenced.
    const bytes = fixtureBytes();
    const chunk = 4096;
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(chunk + 48, true)).toBeLessThan(0x9000);
    // The second template's reference to "xmlns" (chunk offset 618) now points at a copy at 0x9000, spelled "xmlnz".
    expect(v.getUint32(chunk + 2198, true)).toBe(618);
    bytes.set(bytes.subarray(chunk + 618, chunk + 618 + 20), chunk + 0x9000);
    bytes[chunk + 0x9000 + 8 + 8] = 'z'.charCodeAt(0);
    v.setUint32(chunk + 2198, 0x9000, true);
    const fixed = fixChecksums(bytes);
    const path = join(mkdtempSync(join(tmpdir(), 'evtx-')), 'name-past-records.evtx');
    writeFileSync(path, fixed);
    const fromDisk = [...readEvtxFile(path)];
    expect(fromDisk).toEqual([...evtxItemsOf(fixed)]);
    expect(problems(fromDisk)).toEqual([]);
    const event = records(fromDisk)[0]!.json['Event'] as Record<string, Record<string, unknown>>;
    expect(event['#attributes']).toHaveProperty('xmlns');
    expect(event['UserData']!['Operation_ClientFailure']).toHaveProperty(['#attributes', 'xmlnz']);
  });

  test('a template read before is read again when a name it takes from elsewhere in the chunk differs', () => {
    // The fixture's second template (chunk offset 2098) names an attribute by offset: the
    // "xmlns" defined inside the first template, at chunk offset 618.
    expect(records(evtxItemsOf(fixtureBytes()))).toHaveLength(1); // the original read first: its templates are shared
    const bytes = fixtureBytes();
    const text = 4096 + 618 + 8; // next offset (4), hash (2), length (2), then UTF-16
    expect(Buffer.from(bytes.subarray(text, text + 10)).toString('utf16le')).toBe('xmlns');
    bytes[text + 8] = 'z'.charCodeAt(0);
    const event = records(evtxItemsOf(fixChecksums(bytes)))[0]!.json['Event'] as Record<string, Record<string, unknown>>;
    expect(event['#attributes']).toHaveProperty('xmlnz');
    expect(event['UserData']!['Operation_ClientFailure']).toHaveProperty(['#attributes', 'xmlnz']);
  });
});

describe('EVTX reader on damaged files', () => {
  test('a truncated file reads the records that are complete and reports where it ends', () => {
    const bytes = fixtureBytes();
    const cut = bytes.subarray(0, 4096 + 700);
    const items = [...evtxItemsOf(cut)];
    expect(problems(items).some((p) => p.scope === 'chunk' && /ends .* into a chunk/.test(p.message))).toBe(true);
    const inHeader = [...evtxItemsOf(bytes.subarray(0, 60))];
    expect(problems(inHeader)[0]).toMatchObject({ scope: 'file' });
  });

  test('a wrong checksum is reported and the records are still read', () => {
    const bytes = fixtureBytes();
    bytes[4096 + 600] = bytes[4096 + 600]! ^ 0x01;
    const items = [...evtxItemsOf(bytes)];
    expect(problems(items).map((p) => p.offset)).toContain(4096 + 52);
  });

  test('a record with a wrong size is reported at its offset and skipped', () => {
    const bytes = fixtureBytes();
    new DataView(bytes.buffer).setUint32(4096 + 512 + 4, 0xffff, true);
    const items = [...evtxItemsOf(fixChecksums(bytes))];
    expect(records(items)).toEqual([]);
    expect(problems(items)[0]).toMatchObject({ offset: 4096 + 512, scope: 'record' });
    expect(problems(items)[0]!.message).toMatch(/record size 65535 is invalid/);
  });

  test('a template that instantiates itself is reported, not followed', () => {
    const bytes = fixtureBytes();
    const v = new DataView(bytes.buffer);
    // The record's fragment: header (4 bytes), then the template instance token at +28.
    const rec = 4096 + 512;
    expect(bytes[rec + 24 + 4]).toBe(0x0c);
    const defOffset = v.getUint32(rec + 24 + 4 + 6, true);
    // Overwrite the definition's first body token (after next, GUID, size and the fragment header)
    // with a template instance pointing back at the definition itself.
    const body = 4096 + defOffset + 24 + 4;
    bytes.set([0x0c, 0x01, 0, 0, 0, 0], body);
    v.setUint32(body + 6, defOffset, true);
    const items = [...evtxItemsOf(fixChecksums(bytes))];
    expect(problems(items).some((p) => p.scope === 'record' && /contains itself|nest deeper/.test(p.message))).toBe(true);
  });

  test('a file that is not EVTX is one clear error naming it', () => {
    expect(problems(evtxItemsOf(new TextEncoder().encode('{"a":1}')))[0]!.message).toMatch(/not an EVTX file/);
  });
});
