/**
 * Source addresses as the brute-force throttle counts them.
 *
 * - The port never counts (a client picks a new one at will).
 * - An IPv4-mapped IPv6 address (::ffff:192.0.2.1, what a dual-stack socket reports) is the
 *   IPv4 address it carries, so one client is one key whichever socket it reached.
 * - IPv6 is counted per /64: one host normally owns a whole /64 (RFC 4291 §2.5.4, SLAAC,
 *   privacy addresses) and can rotate through it freely, so counting single addresses would
 *   let it dodge the block.
 *
 * Trusted networks are matched on the full address with node's net.BlockList.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export interface SourceAddress {
  /** What failures are counted and blocks are kept under: `192.0.2.1` or `2001:db8:1:2::/64`. */
  key: string;
  family: 'ipv4' | 'ipv6';
  /** The address itself, zone and mapping removed. */
  address: string;
}

export function sourceAddress(raw: string): SourceAddress {
  let a = raw;
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (a.charCodeAt(0) === 91 /* [ */ && a.endsWith(']')) a = a.slice(1, -1);
  const lower = a.toLowerCase();
  if (lower.startsWith('::ffff:') && isIPv4(lower.slice(7))) a = lower.slice(7);
  if (isIPv4(a)) return { key: a, family: 'ipv4', address: a };
  if (isIPv6(a)) {
    const groups = ipv6Groups(lower);
    return { key: `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`, family: 'ipv6', address: lower };
  }
  // Not an IP address (a test name, a unix socket path): counted as written.
  return { key: raw, family: 'ipv4', address: raw };
}

/** The eight 16-bit groups of a valid IPv6 address (`::` and a dotted IPv4 tail expanded). */
export function ipv6Groups(a: string): number[] {
  let text = a;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [b0, b1, b2, b3] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((b0! << 8) | b1!).toString(16)}:${((b2! << 8) | b3!).toString(16)}`;
  }
  const gap = text.indexOf('::');
  const head = gap < 0 ? text : text.slice(0, gap);
  const rest = gap < 0 ? '' : text.slice(gap + 2);
  const h = head === '' ? [] : head.split(':');
  const t = rest === '' ? [] : rest.split(':');
  const zeros = gap < 0 ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => parseInt(g, 16));
}

/** Networks never blocked: CIDR blocks or single addresses, IPv4 or IPv6. */
export class TrustedNetworks {
  private readonly list = new BlockList();
  readonly size: number;

  /** Throws RangeError naming the entry that is neither an address nor a CIDR block. */
  constructor(cidrs: readonly string[] = []) {
    for (const c of cidrs) {
      const [addr = '', prefixText, extra] = c.split('/');
      const family = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : undefined;
      const bits = family === 'ipv4' ? 32 : 128;
      const prefix = prefixText === undefined ? bits : Number(prefixText);
      if (!family || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
        throw new RangeError(`trusted network ${JSON.stringify(c)} is not an address or CIDR block`);
      }
      this.list.addSubnet(addr, prefix, family);
    }
    this.size = cidrs.length;
  }

  has(source: SourceAddress): boolean {
    if (this.size === 0) return false;
    if (source.family === 'ipv4' && !isIPv4(source.address)) return false;
    return this.list.check(source.address, source.family);
  }
}
