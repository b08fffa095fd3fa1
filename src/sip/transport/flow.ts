/**
 * A flow (RFC 5626 §3): the transport and the pair of addresses a message travelled over.
 * Requests remember the flow they arrived on so responses go back over the same
 * connection (RFC 3261 §18.2.2) and registrations can reach phones behind NAT.
 */
export type TransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

export interface Flow {
  protocol: TransportProtocol;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  /** Which connection, for stream transports; absent for UDP. */
  connectionId?: number;
}

/** Stream transports deliver reliably: no retransmissions (RFC 3261 §17.1.1.2, §17.1.2.2). */
export function isReliable(protocol: TransportProtocol): boolean {
  return protocol !== 'udp';
}

/** The transport token for a Via header (RFC 3261 §20.42, RFC 7118 §5.1 for WS/WSS). */
export function viaTransport(protocol: TransportProtocol): string {
  return protocol.toUpperCase();
}

/** "udp:192.0.2.1:5060" - for logs and map keys. */
export function flowKey(f: Flow): string {
  return `${f.protocol}:${f.remoteAddress}:${f.remotePort}`;
}
