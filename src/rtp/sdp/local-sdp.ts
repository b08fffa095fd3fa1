/**
 * Our SDP for one call leg (RFC 4566, RFC 3264), written with sdp-transform:
 *
 *   v=0
 *   o=<username> <session id> <version> IN IP4|IP6 <address>
 *   s=-
 *   c=IN IP4|IP6 <address>
 *   t=0 0
 *   m=audio <port> RTP/AVP <pts>          (RTP/AVPF when answering an AVPF offer)
 *   a=rtpmap / a=fmtp per payload type
 *   a=ptime:20
 *   a=<direction>
 *   a=rtcp-mux                            (only when the remote offered it, RFC 5761 §5.1.1)
 *
 * - RFC 3264 §8: the o= session id stays for the whole session, and the version grows by
 *   one each time the body differs from the previous one; the same body built again (a
 *   retransmission, a re-INVITE without change) keeps the version.
 * - RFC 3264 §6: an answer (`answerTo`) has one m-line per offered m-line in the same
 *   order; every one but the audio stream we answer is rejected with port 0.
 * - RFC 3264 §8: a later offer keeps every m-line of the previous body (their number must
 *   not decrease), so the rejected ones stay in place with port 0.
 */
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { write as writeSdp, type MediaDescription, type SessionDescription as RawSession } from 'sdp-transform';
import { AUDIO_LEVEL_URI } from './audio-description.js';
import type { MediaDirection, MediaLine, SdpCodec, SessionDescription } from './types.js';

export interface LocalMedia {
  codecs: SdpCodec[];
  telephoneEvent?: SdpCodec;
  direction: MediaDirection;
  /** a=ptime in ms (default 20). */
  ptime?: number;
  /** a=rtcp-mux; default: what the offer being answered said, else what our previous body said, else false. */
  rtcpMux?: boolean;
  /** m-line protocol; default: RTP/AVPF when answering an AVPF offer, else the previous body's, else RTP/AVP. */
  protocol?: string;
  /** RFC 6464 audio level extension to declare with a=extmap (RFC 8285 §5). */
  audioLevelExtId?: number;
}

export interface LocalSdpOptions {
  /** Our media address for c= and o= (IPv4 or IPv6). */
  address: string;
  /** o= username (default '-', RFC 4566 §5.2). */
  username?: string;
  /** o= session id, digits (default: random; RFC 4566 §5.2 only asks that it be unique). */
  sessionId?: string;
  /** Version of the first body (default 1). */
  sessionVersion?: number;
}

/** The m-lines of our last body: where the audio stream is and what else is rejected around it. */
interface Layout {
  media: readonly MediaLine[];
  audioIndex: number;
  protocol: string;
  rtcpMux: boolean;
}

function ipVersionOf(address: string): 4 | 6 {
  return isIP(address) === 6 ? 6 : 4;
}

function rtpLines(formats: SdpCodec[]): Pick<MediaDescription, 'rtp' | 'fmtp' | 'payloads'> {
  return {
    payloads: formats.map((f) => f.payloadType).join(' '),
    rtp: formats.map((f) => ({ payload: f.payloadType, codec: f.name, rate: f.clockRate, ...(f.channels !== undefined ? { encoding: f.channels } : {}) })),
    fmtp: formats.filter((f) => f.fmtp !== undefined).map((f) => ({ payload: f.payloadType, config: f.fmtp! })),
  };
}

/** "Any media formats listed are ignored. At least one MUST be present" (RFC 3264 §6). */
function rejectedLine(line: MediaLine): MediaDescription {
  return { type: line.type, port: 0, protocol: line.protocol, payloads: line.formats.join(' '), rtp: [], fmtp: [] };
}

export class LocalSdp {
  readonly sessionId: string;
  private readonly address: string;
  private readonly username: string;
  private currentVersion: number;
  private last: string | undefined;
  private layout: Layout | undefined;

  constructor(opts: LocalSdpOptions) {
    if (opts.address.trim() === '' || /\s/.test(opts.address)) throw new TypeError(`LocalSdp needs a media address, got "${opts.address}"`);
    this.address = opts.address;
    this.username = opts.username ?? '-';
    if (/\s/.test(this.username) || this.username === '') throw new TypeError('o= username must be one token (RFC 4566 §5.2)');
    this.sessionId = opts.sessionId ?? String(randomInt(1, 2 ** 47));
    if (!/^\d+$/.test(this.sessionId)) throw new TypeError(`o= session id must be digits (RFC 4566 §5.2), got ${this.sessionId}`);
    this.currentVersion = opts.sessionVersion ?? 1;
  }

  /** The o= version of the last body built (or of the first one when none was built yet). */
  get version(): number {
    return this.currentVersion;
  }

  /** The last body built, to send again unchanged (retransmission, same re-offer). */
  get lastBody(): string | undefined {
    return this.last;
  }

  /** Offer or answer body with these codecs/direction on `port`; `answerTo` = the remote offer being answered. */
  build(port: number, media: LocalMedia, answerTo?: SessionDescription): string {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad RTP port ${port}`);
    const formats = media.telephoneEvent ? [...media.codecs, media.telephoneEvent] : [...media.codecs];
    if (formats.length === 0) throw new TypeError('an m-line needs at least one format (RFC 4566 §5.14)');
    const layout = this.layoutFor(media, answerTo);
    let body = this.render(port, media, formats, layout);
    if (this.last !== undefined && body !== this.last) {
      this.currentVersion += 1; // RFC 3264 §8: incremented by one when the body changes
      body = this.render(port, media, formats, layout);
    }
    this.last = body;
    this.layout = layout;
    return body;
  }

  private layoutFor(media: LocalMedia, answerTo: SessionDescription | undefined): Layout {
    if (answerTo) {
      const offered = answerTo.audio;
      if (!offered) throw new TypeError('cannot answer an offer without an audio stream (negotiateAnswer says 488)');
      return {
        media: answerTo.media,
        audioIndex: offered.index,
        protocol: media.protocol ?? (offered.protocol.toUpperCase() === 'RTP/AVPF' ? 'RTP/AVPF' : 'RTP/AVP'),
        rtcpMux: media.rtcpMux ?? offered.rtcpMux,
      };
    }
    const previous = this.layout;
    return {
      media: previous?.media ?? [],
      audioIndex: previous?.audioIndex ?? 0,
      protocol: media.protocol ?? previous?.protocol ?? 'RTP/AVP',
      rtcpMux: media.rtcpMux ?? previous?.rtcpMux ?? false,
    };
  }

  private render(port: number, media: LocalMedia, formats: SdpCodec[], layout: Layout): string {
    const ipVer = ipVersionOf(this.address);
    const audio = audioLine(port, media, formats, layout);
    const lines = layout.media.length > 0 ? layout.media.map((line, i) => (i === layout.audioIndex ? audio : rejectedLine(line))) : [audio];
    const session: RawSession = {
      version: 0,
      origin: { username: this.username, sessionId: this.sessionId, sessionVersion: this.currentVersion, netType: 'IN', ipVer, address: this.address },
      name: '-',
      connection: { version: ipVer, ip: this.address },
      timing: { start: 0, stop: 0 },
      media: lines,
    };
    return writeSdp(session);
  }
}

function audioLine(port: number, media: LocalMedia, formats: SdpCodec[], layout: Layout): MediaDescription {
  const m: MediaDescription = { type: 'audio', port, protocol: layout.protocol, ...rtpLines(formats), ptime: media.ptime ?? 20, direction: media.direction };
  if (media.audioLevelExtId !== undefined) m.ext = [{ value: media.audioLevelExtId, uri: AUDIO_LEVEL_URI }];
  if (layout.rtcpMux) m.rtcpMux = 'rtcp-mux';
  return m;
}
