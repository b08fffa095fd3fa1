/**
 * IP addresses and CIDR blocks as configuration values (`security.trustedNetworks`,
 * `sip.listen`). Normalised to the text `net.BlockList#addSubnet` accepts: `10.0.0.0/8`.
 */
import { isIP } from 'node:net';
import { ValueError } from './config-error.js';

export interface Cidr {
  family: 'ipv4' | 'ipv6';
  /** Network address, canonical text. */
  network: string;
  prefix: number;
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). Host bits must be zero. */
export function parseCidr(text: string): Cidr {
  const [address = '', prefixText, extra] = text.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) throw new ValueError(`must be an address or CIDR block like 10.0.0.0/8, got ${JSON.stringify(text)}`);
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(bits)) || prefix > bits) {
    throw new ValueError(`has a prefix length outside 0-${bits}: ${JSON.stringify(text)}`);
  }
  const bytes = version === 4 ? ipv4Bytes(address) : ipv6Bytes(address);
  const network = maskBytes(bytes, prefix);
  const canonical = version === 4 ? network.join('.') : ipv6Text(network);
  if (!bytes.every((b, i) => b === network[i])) {
    throw new ValueError(`has host bits set: ${text} (did you mean ${canonical}/${prefix}?)`);
  }
  return { family: version === 4 ? 'ipv4' : 'ipv6', network: canonical, prefix };
}

export function cidrText(c: Cidr): string {
  return `${c.network}/${c.prefix}`;
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

function ipv6Bytes(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = ipv4Bytes(dotted[1]!);
    text = text.slice(0, dotted.index) + `${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

function ipv6Text(bytes: number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // RFC 5952 §4.2: compress the longest run of zero groups (two or more).
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

function maskBytes(bytes: number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}
