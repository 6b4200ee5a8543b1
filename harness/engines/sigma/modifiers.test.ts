import { describe, expect, test } from 'vitest';
import { base64Offsets, windash } from './encodings.ts';
import { MODIFIERS, createModifierRegistry } from './modifiers.ts';
import { shapeRegex } from './regex-shape.ts';
import { literal, plainText } from './sigma-string.ts';
import { compileError, itemDetector } from './testing.ts';

const b64 = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');
const le = (s: string) => Buffer.from(s, 'utf16le');

/** key, rule value, event, expected match. */
type Row = [string, unknown, Record<string, unknown>, boolean];

const rows: Record<string, Row[]> = {
  'plain values': [
    ['Image', 'C:\\Windows\\cmd.exe', { Image: 'c:\\windows\\CMD.EXE' }, true],
    ['Image', 'cmd.exe', { Image: 'C:\\cmd.exe' }, false],
    ['Image', '*\\cmd.exe', { Image: 'C:\\x\\cmd.exe' }, true],
    ['Image', 'c?d.exe', { Image: 'cmd.exe' }, true],
    ['Image', 'c?d.exe', { Image: 'cd.exe' }, false],
    ['Image', 'a*', { Image: 'a\nb' }, true],
    ['EventID', 4688, { EventID: 4688 }, true],
    ['EventID', 4688, { EventID: '4688' }, true],
    ['EventID', 4688, { EventID: 4688.0 }, true],
    ['EventID', 4688, { EventID: '0x1250' }, false],
    ['EventID', '4688', { EventID: 4688 }, true],
    ['EventID', 4688, { EventID: [1, 4688] }, true],
    ['Enabled', true, { Enabled: true }, true],
    ['Enabled', true, { Enabled: 'TRUE' }, true],
    ['Enabled', true, { Enabled: 1 }, false],
    ['Enabled', true, { Enabled: 'yes' }, false],
    ['Enabled', false, { Enabled: false }, true],
    ['Image', ['a', 'b'], { Image: 'B' }, true],
    ['Image', 'x', { Image: { nested: 'x' } }, false],
    ['Image', 'x', { Image: [['a'], ['x']] }, true],
    ['Image', 'ärger', { Image: 'ÄRGER' }, true],
    ['process.name', 'cmd.exe', { process: { name: 'cmd.exe' } }, true],
    ['process.name', 'cmd.exe', { 'process.name': 'cmd.exe' }, true],
    ['image', 'cmd.exe', { Image: 'cmd.exe' }, false],
  ],
  'contains / startswith / endswith / all': [
    ['Image|endswith', '\\cmd.exe', { Image: 'C:\\WINDOWS\\System32\\CMD.EXE' }, true],
    ['Image|endswith|cased', '\\cmd.exe', { Image: 'C:\\WINDOWS\\System32\\CMD.EXE' }, false],
    ['Image|cased|endswith', '\\cmd.exe', { Image: 'C:\\x\\cmd.exe' }, true],
    ['Image|startswith', 'C:\\Windows\\', { Image: 'C:\\Windows\\cmd.exe' }, true],
    ['Image|contains', 'indows', { Image: 'C:\\Windows' }, true],
    ['Image|contains', '*indows', { Image: 'C:\\Windows' }, true],
    ['CommandLine|contains|all', ['-nop', '-w hidden'], { CommandLine: 'powershell -NoP -W Hidden -enc AA==' }, true],
    ['CommandLine|contains|all', ['-nop', '-x'], { CommandLine: 'powershell -NoP' }, false],
    ['Tags|all', ['a', 'b'], { Tags: ['a', 'b'] }, true],
    ['Details|contains', 429, { Details: 'DWORD (0x00000429)' }, true],
  ],
  'cased': [
    ['User|cased', 'Admin', { User: 'Admin' }, true],
    ['User|cased', 'Admin', { User: 'admin' }, false],
    ['User|contains|cased', 'dm', { User: 'ADMIN' }, false],
  ],
  'windash': [
    ['CommandLine|windash|contains', ' -enc ', { CommandLine: 'ps /enc x' }, true],
    ['CommandLine|windash|contains', ' -enc ', { CommandLine: 'ps \u2013enc x' }, true],
    ['CommandLine|windash|contains', ' -enc ', { CommandLine: 'ps \u2014enc x' }, true],
    ['CommandLine|windash|contains', ' -enc ', { CommandLine: 'ps \u2015enc x' }, true],
    ['CommandLine|windash|contains', ' -enc ', { CommandLine: 'ps -enc x' }, true],
    ['CommandLine|windash|contains', ' -enc ', { CommandLine: 'ps +enc x' }, false],
    ['CommandLine|contains|windash', '-enc', { CommandLine: 'ps /enc x' }, true],
    ['CommandLine|windash|contains|all', ['-s ', '-p '], { CommandLine: 'tool.exe /s x \u2013p y' }, true],
    ['CommandLine|windash|contains|all', ['-s ', '-p '], { CommandLine: 'tool.exe /s x' }, false],
    ['CommandLine|windash|contains', 'a-b', { CommandLine: 'a/b' }, false],
  ],
  'base64 / base64offset / utf16': [
    ['CommandLine|base64', 'IEX', { CommandLine: 'SUVY' }, true],
    ['CommandLine|base64|contains', 'IEX', { CommandLine: `x ${b64('IEX')} y` }, true],
    ['CommandLine|base64offset|contains', 'IEX', { CommandLine: 'powershell -e YWJJRVgoTmV3' }, true],
    ['CommandLine|base64offset|contains', 'IEX', { CommandLine: b64('IEX(New') }, true],
    ['CommandLine|base64offset|contains', 'IEX', { CommandLine: b64('aIEX(New') }, true],
    ['CommandLine|base64offset|contains', 'IEX', { CommandLine: b64('abIEX(New') }, true],
    ['CommandLine|base64offset|contains', 'IEX', { CommandLine: b64('abc(New') }, false],
    ['CommandLine|wide|base64offset|contains', 'IEX', { CommandLine: b64(le('xIEX(')) }, true],
    ['CommandLine|utf16le|base64offset|contains', 'IEX', { CommandLine: b64(le('xyIEX(')) }, true],
    ['CommandLine|wide|base64offset|contains', 'IEX', { CommandLine: b64(le('IEX')) }, true],
    ['CommandLine|utf16be|base64', 'cmd', { CommandLine: b64(Buffer.from([0, 0x63, 0, 0x6d, 0, 0x64])) }, true],
    ['CommandLine|utf16|base64', 'cmd', { CommandLine: b64(Buffer.from([0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0])) }, true],
    ['CommandLine|wide|contains', 'ab', { CommandLine: 'xa\0b\0y' }, true],
  ],
  're': [
    ['CommandLine|re', 'Invoke-\\w+', { CommandLine: 'x invoke-mimikatz' }, false],
    ['CommandLine|re|i', 'Invoke-\\w+', { CommandLine: 'x invoke-mimikatz' }, true],
    ['CommandLine|re|ignorecase', 'Invoke-\\w+', { CommandLine: 'x invoke-mimikatz' }, true],
    ['CommandLine|re', '^a.c$', { CommandLine: 'a\nc' }, false],
    ['CommandLine|re|s', '^a.c$', { CommandLine: 'a\nc' }, true],
    ['CommandLine|re', '^b$', { CommandLine: 'a\nb' }, false],
    ['CommandLine|re|m', '^b$', { CommandLine: 'a\nb' }, true],
    ['CommandLine|re', '(?i)abc', { CommandLine: 'ABC' }, true],
    ['CommandLine|re', 'C:\\\\Windows\\\\.*', { CommandLine: 'C:\\Windows\\x' }, true],
    ['CommandLine|re', 'a*', { CommandLine: 'bbb' }, true],
    ['EventID|re', '^46', { EventID: 4688 }, true],
    ['CommandLine|re|contains', '^abc', { CommandLine: 'xabc' }, false],
    ['CommandLine|re|startswith', 'a|b', { CommandLine: 'b' }, true],
    // re|startswith only appends `.*` (pySigma); under unanchored search it does not anchor.
    ['CommandLine|re|startswith', 'a|b', { CommandLine: 'xb' }, true],
    ['CommandLine|re|endswith', 'a|b', { CommandLine: 'xb' }, true],
    ['CommandLine|re', '(?<=x)y', { CommandLine: 'xy' }, true],
    ['CommandLine|re', '(?P<n>ab)', { CommandLine: 'xab' }, true],
  ],
  'cidr': [
    ['DestinationIp|cidr', '10.0.0.0/8', { DestinationIp: ['192.168.1.1', '10.2.3.4'] }, true],
    ['DestinationIp|cidr', '10.0.0.0/8', { DestinationIp: '11.0.0.1' }, false],
    ['DestinationIp|cidr', '10.0.0.0/8', { DestinationIp: 'not an ip' }, false],
    ['DestinationIp|cidr', '10.0.0.0/8', {}, false],
    ['DestinationIp|cidr', 'fe80::/10', { DestinationIp: 'FE80::1' }, true],
    ['DestinationIp|cidr', 'fe80::/10', { DestinationIp: '10.0.0.1' }, false],
    ['DestinationIp|cidr', '10.0.0.0/8', { DestinationIp: '::ffff:10.0.0.1' }, false],
    ['DestinationIp|cidr', ['10.0.0.0/8', '::1/128'], { DestinationIp: '::1' }, true],
  ],
  'gt / gte / lt / lte': [
    ['Size|gt', 10, { Size: 11 }, true],
    ['Size|gt', 10, { Size: 10 }, false],
    ['Size|gte', 10, { Size: 10 }, true],
    ['Size|lt', 10, { Size: '9' }, true],
    ['Size|lte', 10, { Size: '10.0' }, true],
    ['Size|lt', 10, { Size: 'abc' }, false],
    ['Size|gt', 4000, { Size: '0x1250' }, false],
    ['Size|gt', 10, { Size: [1, 20] }, true],
    ['Size|gt', 0, { Size: true }, false],
    ['Size|lt', 1.5, { Size: 1.25 }, true],
  ],
  'exists': [
    ['f|exists', true, { f: null }, true],
    ['f|exists', true, { f: '' }, true],
    ['f|exists', true, {}, false],
    ['f|exists', false, {}, true],
    ['f|exists', false, { f: 1 }, false],
  ],
  'fieldref': [
    ['ParentImage|fieldref', 'Image', { Image: 'a.exe', ParentImage: 'A.EXE' }, true],
    ['ParentImage|fieldref', 'Image', { Image: 'a.exe', ParentImage: 'b.exe' }, false],
    ['ParentImage|fieldref', 'Image', { ParentImage: 'A.EXE' }, false],
    ['ParentImage|fieldref', 'Image', { Image: 'a.exe' }, false],
    ['CommandLine|fieldref|endswith', 'Image', { Image: 'a.exe', CommandLine: 'C:\\A.exe' }, true],
    ['CommandLine|fieldref|startswith', 'Image', { Image: 'a.exe', CommandLine: 'a.exe -x' }, true],
    ['CommandLine|fieldref|startswith', 'Image', { Image: 'a.exe', CommandLine: 'x a.exe' }, false],
    ['CommandLine|fieldref|contains', 'Image', { Image: 'a.exe', CommandLine: 'x a.exe y' }, true],
    ['User|fieldref|neq', 'Target', { User: 'a', Target: 'b' }, true],
    ['User|fieldref|neq', 'Target', { User: 'a', Target: 'A' }, false],
    ['Port|fieldref', 'Other', { Port: 80, Other: '80' }, true],
  ],
  'neq': [
    ['User|neq', 'SYSTEM', {}, true],
    ['User|neq', 'SYSTEM', { User: 'system' }, false],
    ['User|neq', ['a', 'b'], { User: 'c' }, true],
    ['User|neq', ['a', 'b'], { User: 'b' }, false],
    ['User|contains|neq', 'adm', { User: 'xadmx' }, false],
    ['Port|neq', 80, { Port: 443 }, true],
  ],
  'time parts': [
    ['ts|hour', 13, { ts: '2024-05-06T13:14:15Z' }, true],
    ['ts|hour', 13, { ts: '2024-05-06T13:14:15+02:00' }, false],
    ['ts|minute', 14, { ts: '2024-05-06T13:14:15' }, true],
    ['ts|day', 6, { ts: '2024-05-06T13:14:15Z' }, true],
    ['ts|month', 5, { ts: '2024-05-06T13:14:15Z' }, true],
    ['ts|year', 2024, { ts: 1714999999 }, true],
    ['ts|year', 2024, { ts: 1714999999000 }, true],
    ['ts|week', 53, { ts: '2020-12-31T00:00:00Z' }, true],
    ['ts|week', 1, { ts: '2024-01-01T00:00:00Z' }, true],
    ['ts|hour', 13, { ts: 'yesterday' }, false],
  ],
};

describe.each(Object.entries(rows))('%s', (_group, table) => {
  test.each(table)('%s: %j vs %j → %s', (key, value, event, expected) => {
    expect(itemDetector(key, value).matches(event)).toBe(expected);
  });
});

describe('expand', () => {
  const opts = { placeholders: { Admins: ['Administrator', '*-adm'], Hosts: ['DC1', 'DC2'] } };
  test.each([
    ['User|expand', '%Admins%', { User: 'administrator' }, true],
    ['User|expand', '%Admins%', { User: 'bob-adm' }, true],
    ['User|expand', '%Admins%', { User: 'bob' }, false],
    ['User|contains|expand', '%Admins%', { User: 'x administrator y' }, true],
    ['User|expand', '%Hosts%-%Admins%', { User: 'dc2-administrator' }, true],
    ['User|expand', '%Hosts%-%Admins%', { User: 'dc3-administrator' }, false],
    ['User|expand', '\\%Admins%', { User: '%Admins%' }, true],
    ['User|expand', '100\\%', { User: '100%' }, true],
    ['User', '%Admins%', { User: '%Admins%' }, true],
  ] as Row[])('%s: %j vs %j → %s', (key, value, event, expected) => {
    expect(itemDetector(key, value, opts).matches(event)).toBe(expected);
  });

  test('unknown placeholder is a located error', () => {
    const e = compileError(() => itemDetector('User|expand', '%Nope%', opts));
    expect(e).toMatchObject({ code: 'sigma/unknown-placeholder', path: ['detection', 'selection', 'User|expand'] });
  });
});

describe('encoders', () => {
  test('base64offset of IEX, plain and wide (sigma.md §5.3)', () => {
    expect(base64Offsets(Buffer.from('IEX'))).toEqual(['SUVY', 'lFW', 'JRV']);
    expect(base64Offsets(le('IEX'))).toEqual(['SQBFAFgA', 'kARQBYA', 'JAEUAWA']);
  });

  test('windash: five dashes at word starts, all combinations, not inside words', () => {
    expect(windash(literal(' -enc ')).map(plainText)).toEqual([' -enc ', ' /enc ', ' \u2013enc ', ' \u2014enc ', ' \u2015enc ']);
    expect(windash(literal('-a -b'))).toHaveLength(25);
    expect(windash(literal('a-b')).map(plainText)).toEqual(['a-b']);
    expect(windash(literal('--enc')).map(plainText)).toEqual(['--enc', '-/enc', '-\u2013enc', '-\u2014enc', '-\u2015enc']);
  });

  test('registry rejects a name registered twice', () => {
    const def = MODIFIERS.get('all')!;
    expect(() => createModifierRegistry([[def], [def]])).toThrow(/registered twice/);
  });
});

describe('modifier errors (sigma.md §5.6) are located', () => {
  const sel = ['detection', 'selection'];
  test.each([
    ['Image|containz', 'x', 'sigma/unknown-modifier', [...sel, 'Image|containz'], true, /unknown modifier 'containz' — did you mean 'contains'\?/],
    ['CommandLine|base64', 'a*', 'sigma/modifier-value', [...sel, 'CommandLine|base64'], false, /wildcards/],
    ['CommandLine|base64offset|contains', ['ok', 'a?'], 'sigma/modifier-value', [...sel, 'CommandLine|base64offset|contains', 1], false, /wildcards/],
    ['CommandLine|contains|re', 'x', 'sigma/modifier-order', [...sel, 'CommandLine|contains|re'], true, /'re' must come first/],
    ['Ip|contains|cidr', '10.0.0.0/8', 'sigma/modifier-order', [...sel, 'Ip|contains|cidr'], true, /'cidr' must come first/],
    ['f|contains|exists', true, 'sigma/modifier-type', [...sel, 'f|contains|exists'], false, /'contains' cannot apply to a boolean/],
    ['Size|gt', '10', 'sigma/modifier-type', [...sel, 'Size|gt'], false, /'gt' cannot apply to a string/],
    ['n|cased', 5, 'sigma/modifier-type', [...sel, 'n|cased'], false, /'cased' cannot apply to a number/],
    ['n|windash', 5, 'sigma/modifier-type', [...sel, 'n|windash'], false, /'windash'/],
    ['n|wide', 5, 'sigma/modifier-type', [...sel, 'n|wide'], false, /'wide'/],
    ['f|exists', 'yes', 'sigma/modifier-type', [...sel, 'f|exists'], false, /'exists' cannot apply to a string/],
    ['|exists', true, 'sigma/modifier-field', [...sel, '|exists'], true, /needs a field/],
    ['a|fieldref', 'b*', 'sigma/modifier-value', [...sel, 'a|fieldref'], false, /wildcards/],
    ['a|re', '(unclosed', 'sigma/invalid-regex', [...sel, 'a|re'], false, /invalid regular expression/],
    ['Ip|cidr', '10.0.0.1/8', 'sigma/invalid-cidr', [...sel, 'Ip|cidr'], false, /host bits/],
    ['Ip|cidr', 'nonsense', 'sigma/invalid-cidr', [...sel, 'Ip|cidr'], false, /not an IP/],
    ['a|i', 'x', 'sigma/modifier-type', [...sel, 'a|i'], false, /'i' cannot apply to a string/],
    ['a|wide', 'é', 'sigma/modifier-value', [...sel, 'a|wide'], false, /ASCII/],
    ['a|hour|gt', 3, 'sigma/modifier-type', [...sel, 'a|hour|gt'], false, /'gt' cannot apply to a time part/],
    ['a', { nested: 1 }, 'sigma/value-type', [...sel, 'a'], false, /mapping/],
  ])('%s: %j → %s', (key, value, code, path, atKey, message) => {
    const e = compileError(() => itemDetector(key, value));
    expect(e).toMatchObject({ code, path, atKey });
    expect(e.message).toMatch(message);
  });
});

describe('regex shaping by contains / startswith / endswith (pySigma helpers)', () => {
  test.each([
    ['a|b', true, true, '.*(?:a|b).*'],
    ['^abc', true, true, '^abc.*'],
    ['abc$', true, true, '.*abc$'],
    ['abc\\$', true, true, '.*abc\\$.*'],
    ['.*x.*', true, true, '.*x.*'],
    ['(a|b)', false, true, '(a|b).*'],
    ['[|]x', true, false, '.*[|]x'],
  ])('%s (start %s, end %s) → %s', (source, start, end, expected) => {
    expect(shapeRegex(source, start, end)).toBe(expected);
  });
});
