/**
 * What the SIP stack needs from one transport (UDP, TCP, TLS, WS, WSS): deliver each
 * received message with the flow it came over, and send bytes over a flow. The shells
 * below own the sockets; everything above them is sans-IO.
 */
import type { Flow, TransportProtocol } from './flow.js';

export interface InboundSink {
  /** One complete SIP message (datagram, framed stream message or WebSocket message). */
  message(data: Buffer, flow: Flow): void;
  /**
   * A stream that can no longer be framed (RFC 3261 §18.3). `head` is the header block when
   * one was read, so the stack can still answer 400; the connection is closed right after.
   */
  streamError?(flow: Flow, status: number, reason: string, head?: Buffer): void;
  /** A connection went away: flows that pointed at it are dead. */
  connectionClosed?(flow: Flow): void;
}

export interface Transport {
  readonly protocol: TransportProtocol;
  /** Bind and listen; resolves once ready. Port 0 picks a free port (tests). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The port actually bound. */
  readonly localPort: number;
  /**
   * Send over an existing connection (flow.connectionId), or to the flow's remote address.
   * Stream transports open a connection when none exists (TCP/TLS only). Returns false
   * when the bytes could not be handed to the socket (no connection, socket closed).
   */
  send(data: Buffer, flow: Flow): boolean;
}

/** Connection ids are unique across all transports of one process. */
let nextConnectionId = 1;
export function allocateConnectionId(): number {
  return nextConnectionId++;
}
