import { describe, expect, test } from 'vitest';
import { windowsNoiseEvents } from './windows-events.ts';

describe('windowsNoise', () => {
  test('deterministic for a seed, different across seeds', () => {
    expect(windowsNoiseEvents(50, 7)).toEqual(windowsNoiseEvents(50, 7));
    expect(windowsNoiseEvents(50, 7)).not.toEqual(windowsNoiseEvents(50, 8));
  });
  test('events are in time order and look like Sysmon / Security events', () => {
    const evs = windowsNoiseEvents(500, 1);
    const times = evs.map((e) => Date.parse(String(e['@timestamp'])));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const ids = new Set(evs.map((e) => e.EventID));
    for (const id of [1, 3, 11, 13, 7, 4104, 4624]) expect(ids).toContain(id);
    expect(evs.filter((e) => e.EventID === 1).every((e) => typeof e.Image === 'string' && typeof e.CommandLine === 'string')).toBe(true);
  });
});
