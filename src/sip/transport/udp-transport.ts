/**
 * SIP over UDP (RFC 3261 §18). One socket serves both directions, so responses and
 * requests to phones leave from the port they registered to (what NATs expect).
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP, isIPv6 } from 'node:net';
import type { Logger } from '../../log/logger.js';
import type { Flow } from './flow.js';
import type { InboundSink, Transport } from './transport.js';

export interface UdpTransportOptions {
  address: string;
  port: number;
  /** Bigger socket buffers ride out bursts (a REGISTER storm after a power cut). */
  receiveBufferBytes?: number;
  logger: Logger;
}

export class UdpTransport implements Transport {
  readonly protocol = 'udp' as const;
  private socket: Socket | undefined;
  private port = 0;

  constructor(
    private readonly opts: UdpTransportOptions,
    private readonly sink: InboundSink,
  ) {}

  get localPort(): number {
    return this.port;
  }

  start(): Promise<void> {
    const socket = createSocket({ type: isIPv6(this.opts.address) ? 'udp6' : 'udp4', reuseAddr: false, lookup: literalFirstLookup });
    this.socket = socket;
    const localAddress = this.opts.address;
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.on('message', (data, rinfo) => {
        const flow: Flow = {
          protocol: 'udp',
          remoteAddress: rinfo.address,
          remotePort: rinfo.port,
          localAddress,
          localPort: this.port,
        };
        this.sink.message(data, flow);
      });
      socket.bind(this.opts.port, this.opts.address, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.opts.logger.warn({ event: 'udp.error', err: err.message }, 'UDP socket error'));
        this.port = socket.address().port;
        try {
          socket.setRecvBufferSize(this.opts.receiveBufferBytes ?? 4 * 1024 * 1024);
        } catch {
          // The kernel caps the size (net.core.rmem_max); the default still works.
        }
        resolve();
      });
    });
  }

  send(data: Buffer, flow: Flow): boolean {
    if (!this.socket) return false;
    this.socket.send(data, flow.remotePort, flow.remoteAddress);
    return true;
  }

  stop(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => s.close(() => resolve()));
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * dgram resolves every destination, even an IP literal, through dns.lookup, which answers a
 * literal on the next tick: one more tick per datagram sent. Nearly everything the switch
 * sends goes to a literal (the source of a request, received/rport, a registered flow), so
 * literals are answered at once; a host name (a Via sent-by without received, RFC 3261
 * §18.2.2) still goes through dns.lookup.
 */
export function literalFirstLookup(hostname: string, options: LookupOneOptions, callback: LookupCallback): void {
  const family = isIP(hostname);
  if (family !== 0) callback(null, hostname, family);
  else dnsLookup(hostname, options, callback);
}

