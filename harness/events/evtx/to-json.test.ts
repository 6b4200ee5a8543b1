import { describe, expect, test } from 'vitest';
import { EvtxFormatError } from './errors.ts';
import { templateElement, type Part, type TElement } from './template.ts';
import { JsonBuilder, type Json } from './to-json.ts';
import type { BinValue } from './values.ts';

type Content = TElement | Part | Exclude<BinValue, { fragment: unknown }>;
const isElement = (c: Content): c is TElement => typeof c === 'object' && c !== null && !Array.isArray(c) && 'content' in c;
const isPart = (c: Content): c is Part => typeof c === 'object' && c !== null && !Array.isArray(c) && 'k' in c;
const part = (c: Content): Part => (isElement(c) ? { k: 'element', el: c } : isPart(c) ? c : { k: 'value', v: c });
const el = (name: string, attrs: Array<[string, Content]>, ...content: Content[]): TElement => templateElement(name, attrs.map(([n, v]) => ({ name: n, parts: [part(v)] })), content.map(part));
const sub = (index: number, optional = false): Part => ({ k: 'sub', index, optional });

const builder = new JsonBuilder({
  fragment: () => {
    throw new EvtxFormatError('no Binary XML values here', 0);
  },
});
/** The record JSON of `Event` holding `children`, filled with `values`. */
const event = (values: BinValue[], ...children: TElement[]): Json => builder.record({ body: [part(el('Event', [], ...children))], values, depth: 0 })!['Event']!;

describe('record JSON in the evtx crate shape', () => {
  test('named Data become keys (empty ones ""), unnamed ones are left out beside them', () => {
    const ev = el('EventData', [], el('Data', [['Name', 'Image']], 'C:\\x.exe'), el('Data', [['Name', 'Empty']]), el('Data', [], 'lost'), el('Data', [['Name', 'Pid']], 42));
    expect(event([], ev)).toEqual({ EventData: { Image: 'C:\\x.exe', Empty: '', Pid: 42 } });
  });

  test('only unnamed Data: Data.#text holds the value or the list', () => {
    expect(event([], el('EventData', [], el('Data', [], 'one')))).toEqual({ EventData: { Data: { '#text': 'one' } } });
    expect(event([], el('EventData', [], el('Data', [], 'a'), el('Data', []), el('Data', [], 7)))).toEqual({ EventData: { Data: { '#text': ['a', '', 7] } } });
  });

  test('integers and booleans stay typed; floats, arrays and mixed content are text; empty is null', () => {
    const sys = el('System', [], el('EventID', [['Qualifiers', 0]], 4688), el('Level', [], 1.5), el('Arr', [], ['a', 'b']), el('Mixed', [], 'a', '&#65;', 'b'), el('Flag', [], true), el('Correlation', [['ActivityID', null]]), el('Empty', [], ''));
    expect(event([], sys)).toEqual({ System: { EventID: { '#attributes': { Qualifiers: 0 }, '#text': 4688 }, Level: '1.5', Arr: 'a,b', Mixed: 'a&#65;b', Flag: true, Correlation: null, Empty: null } });
  });

  test('substitutions fill attributes and text; null ones carry nothing; a Data Name may be one', () => {
    const sys = el('System', [], el('Provider', [['Name', sub(0)], ['Guid', sub(1, true)]]), el('EventID', [], sub(2)), el('Keywords', [], sub(1)));
    const data = el('EventData', [], el('Data', [['Name', sub(3)]], sub(4)), el('Data', [['Name', 'Other']], sub(1, true)));
    expect(event(['Sysmon', null, 1, 'Image', 'C:\\a.exe'], sys, data)).toEqual({ System: { Provider: { '#attributes': { Name: 'Sysmon' } }, EventID: 1, Keywords: null }, EventData: { Image: 'C:\\a.exe', Other: '' } });
  });

  test('repeated children get _1, _2; a __proto__ name is an own key', () => {
    const json = event([], el('Header', [], 'a'), el('Header', [], 'b'), el('Header', [], 'c'), el('__proto__', [], 'p'));
    expect(json).toEqual({ Header: 'a', Header_1: 'b', Header_2: 'c', ['__proto__']: 'p' });
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
  });

  test('a record of no element has no JSON', () => {
    expect(builder.record({ body: [part('text only')], values: [], depth: 0 })).toBeUndefined();
  });
});
