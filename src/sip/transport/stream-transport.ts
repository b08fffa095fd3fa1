/**
 * SIP over TCP and TLS (RFC 3261 §18, §26.2). Each connection gets a StreamFramer; a
 * response goes back over the connection its request came on (§18.2.2), and a request to a
 * phone reuses the connection it registered over (RFC 5626 §5.3) before opening a new one.
 *
 * Defences: a message larger than `maxMessageBytes`, or one left half-sent for longer than
 * `partialMessageTimeoutMs` (slow-loris), closes the connection; at most `maxConnections`
 * are accepted at once.
 */
import { createServer as createTcpServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Logger } from '../../log/logger.js';
import { flowKey, type Flow } from './flow.js';
import { StreamFramer } from './stream-framer.js';
import { allocateConnectionId, type InboundSink, type Transport } from './transport.js';

export interface StreamTransportOptions {
  protocol: 'tcp' | 'tls';
  address: string;
  port: number;
  /** PEM certificate and key; required for TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  maxMessageBytes?: number;
  partialMessageTimeoutMs?: number;
  maxConnections?: number;
  logger: Logger;
}

interface Connection {
  id: number;
  socket: Socket | TLSSocket;
  flow: Flow;
  framer: StreamFramer;
  /** When the framer started holding an incomplete message (0 when idle). */
  partialSince: number;
}

export class StreamTransport implements Transport {
  readonly protocol: 'tcp' | 'tls';
  private server: Server | undefined;
  private port = 0;
  private readonly byId = new Map<number, Connection>();
  private readonly byRemote = new Map<string, Connection>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: StreamTransportOptions,
    private readonly sink: InboundSink,
  ) {
    this.protocol = opts.protocol;
  }

  get localPort(): number {
    return this.port;
  }

  get connectionCount(): number {
    return this.byId.size;
  }

  start(): Promise<void> {
    const onSocket = (socket: Socket | TLSSocket): void => this.accept(socket);
    const server =
      this.protocol === 'tls'
        ? createTlsServer({ cert: this.opts.cert, key: this.opts.key }, onSocket)
        : createTcpServer(onSocket);
    server.maxConnections = this.opts.maxConnections ?? 10_000;
    server.on('tlsClientError', (err: Error) =>
      this.opts.logger.debug({ event: 'tls.handshake_failed', err: err.message }, 'TLS handshake failed'),
    );
    this.server = server;
    const timeout = this.opts.partialMessageTimeoutMs ?? 30_000;
    this.sweeper = setInterval(() => this.sweep(timeout), Math.min(timeout, 5000));
    this.sweeper.unref();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.address, () => {
        server.off('error', reject);
        server.on('error', (err) => this.opts.logger.warn({ event: `${this.protocol}.error`, err: err.message }, 'listener error'));
        const a = server.address();
        this.port = typeof a === 'object' && a ? a.port : this.opts.port;
        resolve();
      });
    });
  }

  send(data: Buffer, flow: Flow): boolean {
    let conn = flow.connectionId !== undefined ? this.byId.get(flow.connectionId) : undefined;
    conn ??= this.byRemote.get(flowKey(flow));
    conn ??= this.connectOut(flow);
    if (!conn || conn.socket.destroyed) return false;
    conn.socket.write(data);
    return true;
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const c of this.byId.values()) c.socket.destroy();
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private accept(socket: Socket | TLSSocket): void {
    const flow: Flow = {
      protocol: this.protocol,
      remoteAddress: normaliseAddress(socket.remoteAddress ?? ''),
      remotePort: socket.remotePort ?? 0,
      localAddress: normaliseAddress(socket.localAddress ?? this.opts.address),
      localPort: this.port,
    };
    this.track(socket, flow);
  }

  /** Open a connection to a target that has none (RFC 3261 §18.1.1); writes queue until connected. */
  private connectOut(flow: Flow): Connection | undefined {
    if (!flow.remotePort || !flow.remoteAddress) return undefined;
    const socket =
      this.protocol === 'tls'
        ? tlsConnect({ host: flow.remoteAddress, port: flow.remotePort, rejectUnauthorized: false })
        : tcpConnect({ host: flow.remoteAddress, port: flow.remotePort });
    const out: Flow = { ...flow, localAddress: this.opts.address, localPort: this.port };
    return this.track(socket, out);
  }

  private track(socket: Socket | TLSSocket, flow: Flow): Connection {
    const id = allocateConnectionId();
    flow.connectionId = id;
    const conn: Connection = {
      id,
      socket,
      flow,
      framer: new StreamFramer({ maxMessageBytes: this.opts.maxMessageBytes }),
      partialSince: 0,
    };
    this.byId.set(id, conn);
    this.byRemote.set(flowKey(flow), conn);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.on('data', (chunk: Buffer) => this.receive(conn, chunk));
    socket.on('error', (err) => this.opts.logger.debug({ event: `${this.protocol}.socket_error`, id, err: err.message }, 'connection error'));
    socket.on('close', () => this.forget(conn));
    return conn;
  }

  private receive(conn: Connection, chunk: Buffer): void {
    for (const frame of conn.framer.push(chunk)) {
      switch (frame.kind) {
        case 'message':
          this.sink.message(frame.data, conn.flow);
          break;
        case 'ping':
          conn.socket.write('\r\n'); // RFC 5626 §4.4.1: pong
          break;
        case 'pong':
          break;
        case 'error':
          this.opts.logger.info(
            { event: 'stream.framing_error', remote: flowKey(conn.flow), status: frame.status, reason: frame.reason },
            'closing connection that cannot be framed',
          );
          this.sink.streamError?.(conn.flow, frame.status, frame.reason, frame.head);
          conn.socket.end();
          setTimeout(() => conn.socket.destroy(), 1000).unref();
          return;
      }
    }
    conn.partialSince = conn.framer.pending ? conn.partialSince || Date.now() : 0;
  }

  private sweep(timeoutMs: number): void {
    const now = Date.now();
    for (const c of this.byId.values()) {
      if (c.partialSince && now - c.partialSince > timeoutMs) {
        this.opts.logger.info({ event: 'stream.partial_timeout', remote: flowKey(c.flow) }, 'closing connection stuck mid-message');
        c.socket.destroy();
      }
    }
  }

  private forget(conn: Connection): void {
    this.byId.delete(conn.id);
    const key = flowKey(conn.flow);
    if (this.byRemote.get(key) === conn) this.byRemote.delete(key);
    this.sink.connectionClosed?.(conn.flow);
  }
}

/** "::ffff:127.0.0.1" (IPv4 on a dual-stack socket) -> "127.0.0.1". */
export function normaliseAddress(a: string): string {
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
