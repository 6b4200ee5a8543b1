import { describe, expect, test } from 'vitest';
import type { XNode } from './template.ts';
import { elementJson, recordJson } from './to-json.ts';

const el = (name: string, attrs: Array<[string, string | number | null]>, ...content: Array<XNode | string | number | boolean | null | string[]>): XNode => ({ name, attrs, content });

describe('record JSON in the evtx crate shape', () => {
  test('named Data become keys (empty ones ""), unnamed ones are left out beside them', () => {
    const ev = el('EventData', [], el('Data', [['Name', 'Image']], 'C:\\x.exe'), el('Data', [['Name', 'Empty']]), el('Data', [], 'lost'), el('Data', [['Name', 'Pid']], 42));
    expect(elementJson(ev, true)).toEqual({ Image: 'C:\\x.exe', Empty: '', Pid: 42 });
  });

  test('only unnamed Data: Data.#text holds the value or the list', () => {
    expect(elementJson(el('EventData', [], el('Data', [], 'one')), true)).toEqual({ Data: { '#text': 'one' } });
    expect(elementJson(el('EventData', [], el('Data', [], 'a'), el('Data', []), el('Data', [], 7)), true)).toEqual({ Data: { '#text': ['a', '', 7] } });
  });

  test('integers and booleans stay typed; floats, arrays and mixed content are text; empty is null', () => {
    const sys = el('System', [], el('EventID', [['Qualifiers', 0]], 4688), el('Level', [], 1.5), el('Arr', [], ['a', 'b']), el('Mixed', [], 'a', '&#65;', 'b'), el('Flag', [], true), el('Correlation', [['ActivityID', null]]), el('Empty', [], ''));
    expect(elementJson(sys)).toEqual({ EventID: { '#attributes': { Qualifiers: 0 }, '#text': 4688 }, Level: '1.5', Arr: 'a,b', Mixed: 'a&#65;b', Flag: true, Correlation: null, Empty: null });
  });

  test('repeated children get _1, _2; a __proto__ name is an own key', () => {
    const json = recordJson([el('Event', [], el('Header', [], 'a'), el('Header', [], 'b'), el('Header', [], 'c'), el('__proto__', [], 'p'))]);
    expect(json).toEqual({ Event: { Header: 'a', Header_1: 'b', Header_2: 'c', ['__proto__']: 'p' } });
    expect(Object.getPrototypeOf(json['Event'])).toBe(Object.prototype);
  });
});
