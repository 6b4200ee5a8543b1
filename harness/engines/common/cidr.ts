/**
 * IPv4 / IPv6 addresses and networks, as 32- or 128-bit integers.
 * Strict: a network with host bits set (`10.0.0.1/8`) is rejected, as pySigma's
 * `ipaddress.ip_network(strict=True)` does.
 */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export interface Network {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(s: string): bigint | undefined {
  const m = IPV4.exec(s);
  if (!m) return undefined;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(input: string): bigint | undefined {
  let s = input;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = toGroups(halves[0]!);
  const tail = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Parse an IP address; undefined if the text is not one. */
export function parseIp(s: string): IpAddress | undefined {
  const t = s.trim();
  const v4 = parseV4(t);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (!t.includes(':')) return undefined;
  const v6 = parseV6(t);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** Parse `addr/prefix` (or a bare address as a host network); throws with the reason when invalid. */
export function parseNetwork(s: string): Network {
  const [addrText, prefixText, extra] = s.trim().split('/');
  if (extra !== undefined) throw new Error(`invalid CIDR '${s}'`);
  const addr = parseIp(addrText ?? '');
  if (!addr) throw new Error(`invalid CIDR '${s}': '${addrText}' is not an IP address`);
  const bits = addr.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) throw new Error(`invalid CIDR '${s}': prefix must be 0–${bits}`);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((addr.value & hostMask) !== 0n) throw new Error(`invalid CIDR '${s}': host bits are set`);
  return { family: addr.family, base: addr.value, prefix };
}

export function networkContains(net: Network, ip: IpAddress): boolean {
  if (ip.family !== net.family) return false;
  const bits = net.family === 4 ? 32 : 128;
  const shift = BigInt(bits - net.prefix);
  return ip.value >> shift === net.base >> shift;
}
