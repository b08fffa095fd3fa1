/**
 * The send half of an endpoint: our SSRC, sequence number and timestamp (RFC 3550 §5.1),
 * and a gather-send of `[12-byte header, shared payload]`, so a payload encoded once for a
 * whole room is never copied per listener. Two header buffers alternate tick by tick: a
 * send that the kernel could not take at once is queued by Node with a reference to the
 * buffers, and the next tick must not overwrite a header still waiting in that queue.
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { RTP_HEADER_SIZE } from '../../rtp/packet.js';

export class OutboundRtp {
  readonly ssrc: number;
  private seq: number;
  private ts: number;
  private readonly headers = [Buffer.alloc(RTP_HEADER_SIZE), Buffer.alloc(RTP_HEADER_SIZE)];
  private flip = 0;
  private readonly list: Buffer[] = [this.headers[0]!, this.headers[0]!];
  /** Set when the next packet starts a talkspurt (RFC 3551 §4.1 marker bit). */
  private mark = true;
  packetsSent = 0;
  bytesSent = 0;

  constructor() {
    this.ssrc = randomInt(1, 0xffffffff) >>> 0;
    this.seq = randomInt(0, 0x10000);
    this.ts = randomInt(0, 0xffffffff) >>> 0;
  }

  /** Advance the timestamp over a frame not sent (so the far end sees time pass). */
  skip(step: number): void {
    this.ts = (this.ts + step) >>> 0;
    this.mark = true;
  }

  /**
   * Send `payload` (the whole Buffer) with a fresh header, then advance by `step`.
   * `remotePort`/`remoteAddress` undefined: the socket is connected.
   */
  send(socket: Socket, payloadType: number, payload: Buffer, step: number, remotePort?: number, remoteAddress?: string): void {
    const h = this.headers[this.flip]!;
    this.flip ^= 1;
    h[0] = 0x80;
    h[1] = (this.mark ? 0x80 : 0) | payloadType;
    h[2] = this.seq >>> 8;
    h[3] = this.seq & 0xff;
    const ts = this.ts;
    h[4] = ts >>> 24;
    h[5] = (ts >>> 16) & 0xff;
    h[6] = (ts >>> 8) & 0xff;
    h[7] = ts & 0xff;
    const ssrc = this.ssrc;
    h[8] = ssrc >>> 24;
    h[9] = (ssrc >>> 16) & 0xff;
    h[10] = (ssrc >>> 8) & 0xff;
    h[11] = ssrc & 0xff;
    this.mark = false;
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (ts + step) >>> 0;
    const list = this.list;
    list[0] = h;
    list[1] = payload;
    // No callback: Node then sends synchronously when the kernel takes the datagram.
    if (remotePort === undefined) socket.send(list);
    else socket.send(list, remotePort, remoteAddress);
    this.packetsSent++;
    this.bytesSent += RTP_HEADER_SIZE + payload.length;
  }

  /**
   * Relay: rewrite a received packet's payload type, sequence number, timestamp and SSRC in
   * place (the caller maps the source's numbers onto ours, keeping its gaps) and send it whole.
   */
  forward(socket: Socket, msg: Buffer, payloadType: number, seq: number, ts: number, marker: boolean, remotePort?: number, remoteAddress?: string): void {
    msg[1] = (marker ? 0x80 : 0) | payloadType;
    msg[2] = (seq >>> 8) & 0xff;
    msg[3] = seq & 0xff;
    msg.writeUInt32BE(ts >>> 0, 4);
    msg.writeUInt32BE(this.ssrc, 8);
    this.seq = (seq + 1) & 0xffff;
    this.ts = ts >>> 0;
    if (remotePort === undefined) socket.send(msg);
    else socket.send(msg, remotePort, remoteAddress);
    this.packetsSent++;
    this.bytesSent += msg.length;
  }

  /**
   * An RFC 4733 event packet: our next sequence number, but the event's own timestamp (the
   * event's start, §2.5.1.1), which does not move the media timestamp. Sent whole
   * (a 12-byte header and the 4-byte event, copied into one reused buffer).
   */
  sendEvent(socket: Socket, payloadType: number, payload: Uint8Array, ts: number, marker: boolean, remotePort?: number, remoteAddress?: string): void {
    const pkt = Buffer.alloc(RTP_HEADER_SIZE + payload.length); // events are rare: a few per second at most
    pkt[0] = 0x80;
    pkt[1] = (marker ? 0x80 : 0) | payloadType;
    pkt.writeUInt16BE(this.seq, 2);
    pkt.writeUInt32BE(ts >>> 0, 4);
    pkt.writeUInt32BE(this.ssrc, 8);
    pkt.set(payload, RTP_HEADER_SIZE);
    this.seq = (this.seq + 1) & 0xffff;
    if (remotePort === undefined) socket.send(pkt);
    else socket.send(pkt, remotePort, remoteAddress);
    this.packetsSent++;
    this.bytesSent += pkt.length;
  }

  /** The next sequence number and timestamp this stream would use (a relay anchors on them). */
  get nextSequence(): number {
    return this.seq;
  }
  get nextTimestamp(): number {
    return this.ts;
  }
}
