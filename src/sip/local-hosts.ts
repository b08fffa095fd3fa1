/**
 * Which hosts name this element: its SIP domain, its configured addresses and aliases, the
 * address a request arrived on, and - when a transport listens on a wildcard address and so
 * cannot say which of its addresses was used - any IP literal (a datagram addressed to an IP
 * reached this machine, so that IP names it; phones are very often set up with the PBX's IP
 * instead of its domain). The registrar (RFC 3261 §10.3 steps 1 and 5) and digest
 * authentication (RFC 7616 §3.4.6) share this rule.
 */
import { isIP } from 'node:net';

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** Lower-case, IPv6 brackets removed. */
export function normalHost(h: string): string {
  const lower = h.toLowerCase();
  return lower.charCodeAt(0) === 91 && lower.endsWith(']') ? lower.slice(1, -1) : lower;
}

export class LocalHosts {
  private readonly hosts: Set<string>;

  constructor(domain: string, others: readonly string[] = []) {
    this.hosts = new Set([domain, ...others].map(normalHost));
  }

  /** Whether `host` names us; `localAddress` is the address the request arrived on, when known. */
  includes(host: string, localAddress?: string): boolean {
    const h = normalHost(host);
    if (this.hosts.has(h)) return true;
    if (localAddress === undefined) return false;
    const local = normalHost(localAddress);
    return h === local || (WILDCARD.has(local) && isIP(h) !== 0);
  }
}
