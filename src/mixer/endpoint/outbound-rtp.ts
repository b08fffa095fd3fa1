/**
 * The send half of an endpoint: our SSRC, sequence number and timestamp (RFC 3550 §5.1),
 * and the send itself. A payload encoded once for a whole room is copied behind a fresh
 * 12-byte header into this endpoint's own packet buffer and sent as one Buffer: measured
 * by bench/mixer/udp-tactics.ts, copying 160 bytes is cheaper than Node's handling of a
 * `[header, payload]` gather list (0.3-1.1 us per packet less in 4 of 5 runs: Node copies
 * the list and builds an iovec per send), so the "zero-copy" gather send loses here. Four
 * packet buffers rotate: a send the kernel could not take at once is queued by Node with a
 * reference to the buffer, and the next packets (a transcoding relay may send three frames
 * for one 60 ms source packet) must not overwrite one still waiting in that queue.
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { RTP_HEADER_SIZE } from '../../rtp/packet.js';

const MAX_PACKET = 1500;

export class OutboundRtp {
  readonly ssrc: number;
  private seq: number;
  private ts: number;
  private readonly packets = [Buffer.alloc(MAX_PACKET), Buffer.alloc(MAX_PACKET), Buffer.alloc(MAX_PACKET), Buffer.alloc(MAX_PACKET)];
  /** Views of `packets` cut to the last length sent from each (no allocation for fixed-size codecs). */
  private readonly views = this.packets.map((p) => p.subarray(0, 0));
  private next = 0;
  /** Set when the next packet starts a talkspurt (RFC 3551 §4.1 marker bit). */
  private mark = true;
  packetsSent = 0;
  bytesSent = 0;
  /** Payload octets sent (RFC 3550 §6.4.1 sender's octet count: headers excluded). */
  payloadBytesSent = 0;

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
   * Send `payload` (the whole Buffer) behind a fresh header, then advance by `step`.
   * `remotePort`/`remoteAddress` undefined: the socket is connected.
   */
  send(socket: Socket, payloadType: number, payload: Uint8Array, step: number, remotePort?: number, remoteAddress?: string): void {
    const ts = this.ts;
    const marker = this.mark;
    this.mark = false;
    this.transmit(socket, payloadType, payload, ts, marker, remotePort, remoteAddress);
    this.ts = (ts + step) >>> 0;
  }

  /**
   * Send `payload` with a timestamp and marker the caller chose (a relay's transcoded frame,
   * mapped from its source's timeline); the sequence number is ours. The next timestamp
   * becomes `ts + step`.
   */
  sendAt(socket: Socket, payloadType: number, payload: Uint8Array, ts: number, marker: boolean, step: number, remotePort?: number, remoteAddress?: string): void {
    this.mark = false;
    this.transmit(socket, payloadType, payload, ts >>> 0, marker, remotePort, remoteAddress);
    this.ts = (ts + step) >>> 0;
  }

  /**
   * Relay: rewrite a received packet's payload type, sequence number, timestamp and SSRC in
   * place (the caller maps the source's numbers onto ours, keeping its gaps) and send it
   * whole. The next sequence number follows it and the next timestamp is `ts + step`,
   * unless it was a late one.
   */
  forward(socket: Socket, msg: Buffer, payloadType: number, seq: number, ts: number, marker: boolean, step: number, remotePort?: number, remoteAddress?: string): void {
    msg[1] = (marker ? 0x80 : 0) | payloadType;
    msg[2] = (seq >>> 8) & 0xff;
    msg[3] = seq & 0xff;
    msg.writeUInt32BE(ts >>> 0, 4);
    msg.writeUInt32BE(this.ssrc, 8);
    // A late (reordered) packet keeps its place: the stream's next numbers never move back.
    if ((((seq + 1 - this.seq) << 16) >> 16) > 0) this.seq = (seq + 1) & 0xffff;
    if (((ts + step - this.ts) | 0) > 0) this.ts = (ts + step) >>> 0;
    this.mark = false;
    if (remotePort === undefined) socket.send(msg);
    else socket.send(msg, remotePort, remoteAddress);
    this.packetsSent++;
    this.bytesSent += msg.length;
    this.payloadBytesSent += msg.length - RTP_HEADER_SIZE;
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
    this.payloadBytesSent += payload.length;
  }

  /** The next sequence number and timestamp this stream would use (a relay anchors on them). */
  get nextSequence(): number {
    return this.seq;
  }
  get nextTimestamp(): number {
    return this.ts;
  }

  /** Header + payload into the next of the rotating packet buffers, sent as one Buffer. */
  private transmit(socket: Socket, payloadType: number, payload: Uint8Array, ts: number, marker: boolean, remotePort: number | undefined, remoteAddress: string | undefined): void {
    const g = this.next;
    this.next = (g + 1) & 3;
    const h = this.packets[g]!;
    h[0] = 0x80;
    h[1] = (marker ? 0x80 : 0) | payloadType;
    h[2] = this.seq >>> 8;
    h[3] = this.seq & 0xff;
    h[4] = ts >>> 24;
    h[5] = (ts >>> 16) & 0xff;
    h[6] = (ts >>> 8) & 0xff;
    h[7] = ts & 0xff;
    const ssrc = this.ssrc;
    h[8] = ssrc >>> 24;
    h[9] = (ssrc >>> 16) & 0xff;
    h[10] = (ssrc >>> 8) & 0xff;
    h[11] = ssrc & 0xff;
    h.set(payload, RTP_HEADER_SIZE);
    const len = RTP_HEADER_SIZE + payload.length;
    let pkt = this.views[g]!;
    if (pkt.length !== len) this.views[g] = pkt = h.subarray(0, len);
    this.seq = (this.seq + 1) & 0xffff;
    // No callback: Node then sends synchronously when the kernel takes the datagram.
    if (remotePort === undefined) socket.send(pkt);
    else socket.send(pkt, remotePort, remoteAddress);
    this.packetsSent++;
    this.bytesSent += len;
    this.payloadBytesSent += payload.length;
  }
}
