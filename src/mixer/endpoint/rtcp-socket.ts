/**
 * The RTCP socket of an endpoint whose RTCP is not multiplexed (RFC 5761 not negotiated):
 * bound on the RTP port + 1 (RFC 3550 §11), sending to the peer's `a=rtcp` port or its RTP
 * port + 1 (RFC 3605 §2.1).
 *
 * Symmetric RTCP (RFC 4961 §3): with latching, the source of the first RTCP packet becomes
 * where reports go, and the socket is `connect`ed to it, so the kernel drops RTCP from any
 * other source; before that, reports go to the SDP address. Without latching the socket is
 * connected to the SDP address at once.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface RtcpTarget {
  address: string;
  port: number;
}

export class RtcpSocket {
  private remote: RtcpTarget | undefined;
  private connected = false;
  private latched = false;
  /** Packets from a source other than the latched one (before the connect took effect). */
  dropped = 0;
  onPacket: ((msg: Buffer) => void) | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly latching: boolean,
  ) {
    socket.on('message', this.onMessage);
  }

  /** Bind `port`; rejects when it is taken. */
  static open(port: number, bindAddress: string, latching: boolean): Promise<RtcpSocket> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: 'udp4' });
      const fail = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', fail);
      socket.bind(port, bindAddress, () => {
        socket.off('error', fail);
        socket.on('error', () => undefined); // ICMP port unreachable: RTCP is best effort
        resolve(new RtcpSocket(socket, latching));
      });
    });
  }

  get localPort(): number {
    return this.socket.address().port;
  }

  /** Where the SDP says RTCP goes; a new address undoes the latch. */
  setRemote(target: RtcpTarget): void {
    if (this.remote && target.address === this.remote.address && target.port === this.remote.port) return;
    this.remote = target;
    this.latched = false;
    if (this.connected) this.socket.disconnect();
    this.connected = false;
    if (!this.latching) this.connectTo(target);
  }

  send(packet: Uint8Array): void {
    if (this.connected) this.socket.send(packet);
    else if (this.remote) this.socket.send(packet, this.remote.port, this.remote.address);
  }

  close(): void {
    this.socket.off('message', this.onMessage);
    this.onPacket = undefined;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }

  private connectTo(target: RtcpTarget): void {
    this.remote = target;
    try {
      this.socket.connect(target.port, target.address, () => {
        this.connected = true;
      });
    } catch {
      // a connect still in flight: reports go by address meanwhile
    }
  }

  private readonly onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    if (this.latching) {
      if (!this.latched) {
        this.latched = true;
        if (this.connected) this.socket.disconnect();
        this.connected = false;
        this.connectTo({ address: rinfo.address, port: rinfo.port });
      } else if (!this.connected && (rinfo.port !== this.remote!.port || rinfo.address !== this.remote!.address)) {
        this.dropped++; // RFC 4961: latched to another source
        return;
      }
    }
    this.onPacket?.(msg);
  };
}
