/**
 * Whether the configured RTP port range overlaps the kernel's ephemeral ports: the range the
 * kernel hands to any socket bound without a port (an outgoing UDP query, a TCP client). A
 * media port there can be taken by another socket of the host at any moment, and an endpoint
 * that binds its RTCP port (RTP + 1, RFC 3550 §11) only when a phone turns out not to
 * multiplex RTCP (RFC 5761) then fails to bind it and the call loses its RTCP (seen in
 * bench:calls). The switch warns at start; it does not refuse, since the operator may know
 * the host.
 */
import { readFileSync } from 'node:fs';

export interface PortRange {
  min: number;
  max: number;
}

/** The overlap of two inclusive ranges, or undefined when they are disjoint. */
export function overlap(a: PortRange, b: PortRange): PortRange | undefined {
  const min = Math.max(a.min, b.min);
  const max = Math.min(a.max, b.max);
  return min <= max ? { min, max } : undefined;
}

/** Parses Linux's /proc/sys/net/ipv4/ip_local_port_range ("32768\t60999\n"). */
export function parseLocalPortRange(text: string): PortRange | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = Number(m[2]);
  return min <= max && max <= 65535 ? { min, max } : undefined;
}

/** The host's ephemeral range, where the system tells it (Linux); undefined elsewhere. */
export function hostEphemeralRange(path = '/proc/sys/net/ipv4/ip_local_port_range'): PortRange | undefined {
  try {
    return parseLocalPortRange(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
