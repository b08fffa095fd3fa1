/**
 * SIP over WebSocket (RFC 7118), plain (WS) or over TLS (WSS), with the `ws` package.
 * Each WebSocket message carries exactly one SIP message (§5.2), so no framing is needed.
 * The handshake must negotiate the "sip" subprotocol (§4.1); other clients are refused.
 * The server cannot open WebSocket connections: requests to a browser reuse the connection
 * it registered over, and fail when that is gone.
 */
import { isUtf8 } from 'node:buffer';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from '../../log/logger.js';
import { flowKey, type Flow } from './flow.js';
import { normaliseAddress } from './stream-transport.js';
import { allocateConnectionId, type InboundSink, type Transport } from './transport.js';

export interface WsTransportOptions {
  protocol: 'ws' | 'wss';
  address: string;
  port: number;
  cert?: string | Buffer;
  key?: string | Buffer;
  maxMessageBytes?: number;
  logger: Logger;
}

interface WsConnection {
  id: number;
  socket: WebSocket;
  flow: Flow;
}

export class WsTransport implements Transport {
  readonly protocol: 'ws' | 'wss';
  private http: HttpServer | undefined;
  private wss: WebSocketServer | undefined;
  private port = 0;
  private readonly byId = new Map<number, WsConnection>();
  private readonly byRemote = new Map<string, WsConnection>();

  constructor(
    private readonly opts: WsTransportOptions,
    private readonly sink: InboundSink,
  ) {
    this.protocol = opts.protocol;
  }

  get localPort(): number {
    return this.port;
  }

  start(): Promise<void> {
    const http =
      this.protocol === 'wss'
        ? createHttpsServer({ cert: this.opts.cert, key: this.opts.key })
        : createHttpServer();
    // Plain HTTP requests to the SIP port get a short answer instead of hanging.
    http.on('request', (_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
      res.end('SIP over WebSocket (RFC 7118): connect with the "sip" subprotocol\n');
    });
    const wss = new WebSocketServer({
      server: http,
      maxPayload: this.opts.maxMessageBytes ?? 65536,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    wss.on('connection', (socket, req) => this.accept(socket, req));
    this.http = http;
    this.wss = wss;
    return new Promise((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.opts.port, this.opts.address, () => {
        http.off('error', reject);
        http.on('error', (err) => this.opts.logger.warn({ event: `${this.protocol}.error`, err: err.message }, 'listener error'));
        const a = http.address();
        this.port = typeof a === 'object' && a ? a.port : this.opts.port;
        resolve();
      });
    });
  }

  send(data: Buffer, flow: Flow): boolean {
    let conn = flow.connectionId !== undefined ? this.byId.get(flow.connectionId) : undefined;
    conn ??= this.byRemote.get(flowKey(flow));
    if (!conn || conn.socket.readyState !== conn.socket.OPEN) return false;
    // RFC 7118 §5.1: text or binary frames; browsers' SIP stacks prefer text.
    conn.socket.send(isUtf8(data) ? data.toString('utf8') : data);
    return true;
  }

  async stop(): Promise<void> {
    for (const c of this.byId.values()) c.socket.terminate();
    const wss = this.wss;
    const http = this.http;
    this.wss = undefined;
    this.http = undefined;
    if (wss) await new Promise<void>((resolve) => wss.close(() => resolve()));
    if (http) await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  private accept(socket: WebSocket, req: IncomingMessage): void {
    if (socket.protocol !== 'sip') {
      socket.close(1002, 'SIP subprotocol required (RFC 7118 §4.1)');
      return;
    }
    const id = allocateConnectionId();
    const flow: Flow = {
      protocol: this.protocol,
      remoteAddress: normaliseAddress(req.socket.remoteAddress ?? ''),
      remotePort: req.socket.remotePort ?? 0,
      localAddress: normaliseAddress(req.socket.localAddress ?? this.opts.address),
      localPort: this.port,
      connectionId: id,
    };
    const conn: WsConnection = { id, socket, flow };
    this.byId.set(id, conn);
    this.byRemote.set(flowKey(flow), conn);
    socket.on('message', (data: RawData) => this.sink.message(toBuffer(data), flow));
    socket.on('error', (err) => this.opts.logger.debug({ event: `${this.protocol}.socket_error`, id, err: err.message }, 'connection error'));
    socket.on('close', () => {
      this.byId.delete(id);
      if (this.byRemote.get(flowKey(flow)) === conn) this.byRemote.delete(flowKey(flow));
      this.sink.connectionClosed?.(flow);
    });
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
