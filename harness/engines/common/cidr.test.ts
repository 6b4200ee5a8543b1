import { describe, expect, test } from 'vitest';
import { networkContains, parseIp, parseNetwork } from './cidr.ts';

describe('CIDR', () => {
  test.each([
    ['10.0.0.0/8', '10.2.3.4', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.168.1.0/24', '192.168.1.255', true],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['fe80::/10', 'fe80::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['2001:db8::/32', '2001:0db8:0000:0000:0000:0000:0000:0001', true],
    ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
    ['10.0.0.0/8', '::ffff:10.0.0.1', false],
    ['10.0.0.0/8', 'not an ip', false],
  ])('%s contains %s: %s', (net, ip, want) => {
    const addr = parseIp(ip);
    expect(addr !== undefined && networkContains(parseNetwork(net), addr)).toBe(want);
  });

  test.each([
    ['10.0.0.1/8', /host bits/],
    ['10.0.0.0/33', /prefix/],
    ['300.0.0.0/8', /not an IP/],
    ['1:2:3:4:5:6:7:8:9/64', /not an IP/],
    ['10.0.0.0/8/1', /invalid CIDR/],
  ])('rejects %s', (net, why) => {
    expect(() => parseNetwork(net)).toThrow(why);
  });

  test('leading zeros are not IPv4 (ambiguous octal)', () => {
    expect(parseIp('010.0.0.1')).toBeUndefined();
  });
});
