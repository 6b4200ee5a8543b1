import { describe, expect, it } from 'vitest';
import type { Event } from '../../../core/event.ts';
import { Registry, at, fakeRule } from './test-fixtures.ts';

/** temporal / temporal_ordered (sigma.md §9, §11 example 17; spec "Temporal Proximity"). */
const recon = (n: string) => fakeRule(`id-${n}`, `recon_cmd_${n}`, 'cmd', n);
const reg = () => new Registry().add(recon('a')).add(recon('b')).add(recon('c'));
const ev = (min: number, cmd: string, user = 'bob', host = 'pc1'): Event => ({ '@timestamp': at(min), cmd, User: user, ComputerName: host });
const spans = (d: { detect(e: readonly Event[]): { events: readonly number[] }[] }, events: Event[]) => d.detect(events).map((a) => a.events);
const corr = (type: string, extra: Record<string, unknown> = {}) =>
  reg().correlation('recon', { type, rules: ['recon_cmd_a', 'recon_cmd_b', 'recon_cmd_c'], 'group-by': ['ComputerName', 'User'], timespan: '5m', ...extra });

describe('temporal', () => {
  const d = corr('temporal');
  it('all three rules within 5 minutes, any order → alert', () => {
    expect(spans(d, [ev(0, 'c'), ev(1, 'a'), ev(2, 'b')])).toEqual([[0, 1, 2]]);
  });
  it('repeats are listed too', () => {
    expect(spans(d, [ev(0, 'a'), ev(1, 'a'), ev(2, 'b'), ev(3, 'c')])).toEqual([[0, 1, 2, 3]]);
  });
  it('a missing rule → none', () => {
    expect(d.detect([ev(0, 'a'), ev(1, 'b'), ev(2, 'b')])).toEqual([]);
  });
  it('just outside the window → none', () => {
    expect(d.detect([ev(0, 'a'), ev(2, 'b'), ev(5, 'c')])).toEqual([]);
    expect(spans(d, [ev(0, 'a'), ev(2, 'b'), ev(4.99, 'c')])).toEqual([[0, 1, 2]]);
  });
  it('another user or host is another group', () => {
    expect(d.detect([ev(0, 'a'), ev(1, 'b', 'alice'), ev(2, 'c')])).toEqual([]);
    expect(d.detect([ev(0, 'a'), ev(1, 'b', 'bob', 'pc2'), ev(2, 'c')])).toEqual([]);
  });
  it('an explicit condition counts distinct rules', () => {
    const two = corr('temporal', { condition: { gte: 2 } });
    expect(spans(two, [ev(0, 'a'), ev(1, 'a'), ev(2, 'c')])).toEqual([[0, 1, 2]]);
    expect(two.detect([ev(0, 'a'), ev(1, 'a')])).toEqual([]);
  });
  it('a boolean string condition over rule names', () => {
    const x = corr('temporal', { rules: undefined, condition: 'recon_cmd_a and (recon_cmd_b or recon_cmd_c)' });
    expect(x.references).toEqual(['recon_cmd_a', 'recon_cmd_b', 'recon_cmd_c']);
    expect(spans(x, [ev(0, 'c'), ev(1, 'a')])).toEqual([[0, 1]]);
    expect(x.detect([ev(0, 'b'), ev(1, 'c')])).toEqual([]);
    const notC = corr('temporal', { rules: undefined, condition: 'recon_cmd_a and recon_cmd_b and not recon_cmd_c' });
    expect(spans(notC, [ev(0, 'a'), ev(1, 'b')])).toEqual([[0, 1]]);
    expect(notC.detect([ev(0, 'a'), ev(0.5, 'c'), ev(1, 'b')])).toEqual([]);
  });
});

describe('temporal_ordered', () => {
  const d = corr('temporal_ordered');
  it('a, b, c in order → alert', () => {
    expect(spans(d, [ev(0, 'a'), ev(1, 'b'), ev(2, 'c')])).toEqual([[0, 1, 2]]);
  });
  it('out of order → none', () => {
    expect(d.detect([ev(0, 'b'), ev(1, 'a'), ev(2, 'c')])).toEqual([]);
    expect(d.detect([ev(0, 'c'), ev(1, 'b'), ev(2, 'a')])).toEqual([]);
  });
  it('the alert lists the ordered chain, not stray earlier events (§11 example 17)', () => {
    const two = reg().correlation('ab', { type: 'temporal_ordered', rules: ['recon_cmd_a', 'recon_cmd_b'], 'group-by': ['User'], timespan: '10m' });
    expect(spans(two, [ev(0, 'b'), ev(1, 'a'), ev(2, 'b')])).toEqual([[1, 2]]);
    expect(two.detect([ev(0, 'b')])).toEqual([]);
  });
  it('just outside the window → none', () => {
    expect(d.detect([ev(0, 'a'), ev(1, 'b'), ev(5, 'c')])).toEqual([]);
  });
  it('a later first step within the window still completes the chain', () => {
    expect(spans(d, [ev(0, 'a'), ev(3, 'a'), ev(6, 'b'), ev(7, 'c')])).toEqual([[1, 2, 3]]);
  });
  it('another group → none', () => {
    expect(d.detect([ev(0, 'a'), ev(1, 'b', 'alice'), ev(2, 'c')])).toEqual([]);
  });
  it('equal timestamps follow input order', () => {
    expect(spans(d, [ev(1, 'a'), ev(1, 'b'), ev(1, 'c')])).toEqual([[0, 1, 2]]);
    expect(d.detect([ev(1, 'b'), ev(1, 'a'), ev(1, 'c')])).toEqual([]);
  });
  it('one event matching two steps does not fill both', () => {
    const both = new Registry().add(fakeRule('id-x', 'x', 'k', 1)).add(fakeRule('id-y', 'y', 'j', 1));
    const c = both.correlation('xy', { type: 'temporal_ordered', rules: ['x', 'y'], timespan: '5m' });
    expect(c.detect([{ '@timestamp': at(0), k: 1, j: 1 }])).toEqual([]);
    expect(spans(c, [{ '@timestamp': at(0), k: 1, j: 1 }, { '@timestamp': at(1), j: 1 }])).toEqual([[0, 1]]);
  });
});
