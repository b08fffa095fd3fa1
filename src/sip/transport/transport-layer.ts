/**
 * All listening transports of the switch behind one `send(data, flow)`: UDP and TCP on the
 * SIP port, TLS when a certificate is configured, WS and WSS (RFC 7118).
 */
import type { Logger } from '../../log/logger.js';
import type { Flow, TransportProtocol } from './flow.js';
import { StreamTransport } from './stream-transport.js';
import type { InboundSink, Transport } from './transport.js';
import { UdpTransport } from './udp-transport.js';
import { WsTransport } from './ws-transport.js';

export interface TransportLayerOptions {
  address: string;
  /** UDP and TCP (0 = any free port, for tests). */
  port: number;
  tls?: { port: number; cert: string | Buffer; key: string | Buffer };
  wsPort?: number;
  wssPort?: number;
  maxMessageBytes?: number;
  logger: Logger;
}

export class TransportLayer {
  private readonly transports = new Map<TransportProtocol, Transport>();

  constructor(
    private readonly opts: TransportLayerOptions,
    private readonly sink: InboundSink,
  ) {}

  /** UDP first, so TCP can take the same port number when UDP picked a free one (they share `sip.port`). */
  async start(): Promise<void> {
    const { address, logger, tls } = this.opts;
    const sink = this.sink;
    const maxMessageBytes = this.opts.maxMessageBytes ?? 65536;
    const udp = new UdpTransport({ address, port: this.opts.port, logger }, sink);
    await this.add(udp);
    await this.add(new StreamTransport({ protocol: 'tcp', address, port: udp.localPort, maxMessageBytes, logger }, sink));
    if (tls) {
      const { cert, key } = tls;
      await this.add(new StreamTransport({ protocol: 'tls', address, port: tls.port, cert, key, maxMessageBytes, logger }, sink));
      if (this.opts.wssPort !== undefined)
        await this.add(new WsTransport({ protocol: 'wss', address, port: this.opts.wssPort, cert, key, maxMessageBytes, logger }, sink));
    }
    if (this.opts.wsPort !== undefined)
      await this.add(new WsTransport({ protocol: 'ws', address, port: this.opts.wsPort, maxMessageBytes, logger }, sink));
  }

  async stop(): Promise<void> {
    for (const t of this.transports.values()) await t.stop();
    this.transports.clear();
  }

  send(data: Buffer, flow: Flow): boolean {
    const t = this.transports.get(flow.protocol);
    return t ? t.send(data, flow) : false;
  }

  has(protocol: TransportProtocol): boolean {
    return this.transports.has(protocol);
  }

  /** The port each transport actually listens on. */
  ports(): Partial<Record<TransportProtocol, number>> {
    const out: Partial<Record<TransportProtocol, number>> = {};
    for (const [p, t] of this.transports) out[p] = t.localPort;
    return out;
  }

  private async add(t: Transport): Promise<void> {
    try {
      await t.start();
    } catch (err) {
      await this.stop();
      throw new Error(`cannot listen for SIP over ${t.protocol.toUpperCase()} on ${this.opts.address}: ${(err as Error).message}`);
    }
    this.transports.set(t.protocol, t);
  }
}
