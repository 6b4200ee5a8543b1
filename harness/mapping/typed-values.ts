import type { Network } from '../engines/common/cidr.ts';

/**
 * Value orders and forms that a mapping type defines.
 */

const V4_MAPPED = 0xffffn << 32n;

/**
 * An IPv6 network inside `::ffff:0:0/96` as the IPv4 network it is:
 * Elasticsearch's `ip` field holds IPv4 and IPv4-mapped IPv6 as one value.
 * Source: ip field type reference (addresses are stored as IPv6, IPv4 mapped).
 */
export function canonicalNetwork(net: Network): Network {
  if (net.family !== 6 || net.prefix < 96 || net.base >> 32n !== V4_MAPPED >> 32n) return net;
  return { family: 4, base: net.base & 0xffffffffn, prefix: net.prefix - 96 };
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) {
      const d = Number(p) - Number(q);
      if (d !== 0) return d;
    } else if (pn !== qn) return pn ? -1 : 1;
    else if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/**
 * Semantic-version precedence, as the `version` field type orders values
 * (major, minor, patch numerically; a pre-release before its release;
 * build metadata ignored); values that are not semantic versions sort after
 * every valid one, by their text.
 * Source: https://www.elastic.co/guide/en/elasticsearch/reference/current/version.html
 * @example compareVersions('1.10.0', '1.9.0') > 0 // true
 */
export function compareVersions(a: string, b: string): number {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) return !x && !y ? (a < b ? -1 : a > b ? 1 : 0) : x ? -1 : 1;
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  return comparePrerelease(x[4], y[4]);
}
