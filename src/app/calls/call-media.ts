/**
 * The anchored media of one call: an engine endpoint per side - 'a' faces the caller, 'b'
 * the callee - each with its own SDP session (o= line, version, RFC 3264 §8), and the relay
 * between them in a media worker (pass-through when both sides use the same codec,
 * transcoding otherwise). RTP and RTCP never bypass the switch.
 *
 *   open() .................. both endpoints, on one worker (the relay needs that)
 *   offerTo / answerTo ...... our SDP for a side (offer, or answer to its offer)
 *   takeAnswer / takeOffer .. a side's SDP: the endpoint learns its address and codecs
 *   connect() ............... relay on (again when a side's codec changed: the engine picks
 *                             pass-through or transcoding when the relay is made)
 *   hold .................... a side whose SDP says sendonly/inactive/0.0.0.0 holds the
 *                             other (RFC 3264 §8.4): that other side's endpoint plays the
 *                             music on hold, which the worker plays instead of the relay
 *   standby ................. a transfer puts another phone on a side: it gets an endpoint
 *                             of its own (openStandby, offered while the present phone stays),
 *                             which then takes the side over (promoteStandby). Re-pointing the
 *                             old endpoint would not do: symmetric latching takes the first
 *                             source after a change, and the old phone may still be sending.
 *
 * Codec choices: codec-choice.ts. Engine requests are issued without waiting (the worker
 * handles one endpoint's requests in order); failures are logged, the call goes on.
 */
import type { Logger } from '../../log/logger.js';
import type { CodecName } from '../../rtp/codec/codec.js';
import { engineCodecOf, isHold, isUnspecifiedAddress, LocalSdp, toPayloadMappings, type MediaDirection, type SdpCodec, type SessionDescription } from '../../rtp/sdp/index.js';
import { offerCodecs, readAnswer, singleCodecAnswer, usableCodecNames } from './codec-choice.js';
import type { EndpointChange, EndpointStats, MediaPort } from './media-port.js';

export type Side = 'a' | 'b';

export const otherSide = (s: Side): Side => (s === 'a' ? 'b' : 'a');

export interface CallMediaOptions {
  /** Our media address for SDP c=/o=. */
  address: string;
  codecs: readonly CodecName[];
  mediaTimeoutMs: number;
  musicOnHold: string;
  log: Logger;
}

class MediaSide {
  port = 0;
  /** The last SDP this side's phone sent us (offer or answer). */
  remote: SessionDescription | undefined;
  /** The codec on this side (first of the negotiated ones: what both ends send). */
  codec: SdpCodec | undefined;
  telephoneEvent: SdpCodec | undefined;
  /** What our last offer to this side listed, to read its answer against. */
  offered: SdpCodec[] = [];
  /** This side's phone has put the other party on hold. */
  holding = false;
  /** Music on hold is playing to this side's phone. */
  hearingMusic = false;
  /** The last music request to this side's endpoint, answered or not (see `music`). */
  musicRequest: Promise<unknown> = Promise.resolve();
  constructor(
    readonly endpointId: string,
    readonly sdp: LocalSdp,
  ) {}

  get codecName(): CodecName | undefined {
    return this.codec === undefined ? undefined : engineCodecOf(this.codec);
  }
}

export class CallMedia {
  readonly sides: Record<Side, MediaSide>;
  relayMode: 'passthrough' | 'transcode' | null = null;
  private relayedCodecs: string | undefined;
  private closed = false;
  /** Endpoints opened for a phone that is to take a side (transfers). */
  private readonly standby: Partial<Record<Side, MediaSide>> = {};
  private standbys = 0;

  constructor(
    readonly callId: string,
    private readonly port: MediaPort,
    private readonly opts: CallMediaOptions,
  ) {
    this.sides = {
      a: new MediaSide(`${callId}:a`, new LocalSdp({ address: opts.address })),
      b: new MediaSide(`${callId}:b`, new LocalSdp({ address: opts.address })),
    };
  }

  /** Whether either side holds the other. */
  get onHold(): boolean {
    return this.sides.a.holding || this.sides.b.holding;
  }

  endpointOf(side: Side): string {
    return this.sides[side].endpointId;
  }

  /** The side whose endpoint is `endpointId`. */
  sideOf(endpointId: string): Side | undefined {
    return endpointId === this.sides.a.endpointId ? 'a' : endpointId === this.sides.b.endpointId ? 'b' : undefined;
  }

  /** Creates both endpoints (b next to a, on the same worker). */
  async open(): Promise<void> {
    const payloads = toPayloadMappings(offerCodecs([], this.opts.codecs).codecs.slice(0, 1));
    const common = { payloads, symmetricLatching: true, mediaTimeoutMs: this.opts.mediaTimeoutMs };
    const a = this.port.createEndpoint({ endpointId: this.sides.a.endpointId, ...common });
    const b = this.port.createEndpoint({ endpointId: this.sides.b.endpointId, colocateWith: this.sides.a.endpointId, ...common });
    const [ra, rb] = await Promise.allSettled([a, b]);
    if (ra.status === 'fulfilled') this.sides.a.port = ra.value.localPort;
    if (rb.status === 'fulfilled') this.sides.b.port = rb.value.localPort;
    if (ra.status === 'rejected' || rb.status === 'rejected') {
      await this.close();
      throw ra.status === 'rejected' ? ra.reason : (rb as PromiseRejectedResult).reason;
    }
  }

  /** Our offer to `side`: its peer's usable codecs first (pass-through), then the rest. */
  offerTo(side: Side): string {
    return this.offerFrom(this.sides[side], this.sides[otherSide(side)]);
  }

  private offerFrom(s: MediaSide, peer: MediaSide): string {
    const prefer = peer.codecName !== undefined ? [peer.codecName] : peer.remote?.audio ? usableCodecNames(peer.remote.audio, this.opts.codecs) : [];
    const { codecs, telephoneEvent } = offerCodecs(prefer, this.opts.codecs);
    s.offered = codecs;
    return s.sdp.build(s.port, { codecs, telephoneEvent, direction: 'sendrecv', rtcpMux: true });
  }

  // ------------------------------------------------------------------ standby (transfers)

  /** Opens a new endpoint for `side` next to the other side's (same worker, for the relay). */
  async openStandby(side: Side): Promise<void> {
    const id = `${this.callId}:${side}${++this.standbys}`;
    const payloads = toPayloadMappings(offerCodecs([], this.opts.codecs).codecs.slice(0, 1));
    const { localPort } = await this.port.createEndpoint({ endpointId: id, colocateWith: this.sides[otherSide(side)].endpointId, payloads, symmetricLatching: true, mediaTimeoutMs: this.opts.mediaTimeoutMs });
    const s = new MediaSide(id, new LocalSdp({ address: this.opts.address }));
    s.port = localPort;
    if (this.closed) {
      await this.port.destroyEndpoint(id).catch(() => null);
      throw new Error('the call ended');
    }
    this.closeStandby(side);
    this.standby[side] = s;
  }

  /** Our offer from `side`'s standby endpoint. */
  standbyOffer(side: Side): string {
    const s = this.standby[side];
    if (!s) throw new Error(`no standby endpoint for side ${side}`);
    return this.offerFrom(s, this.sides[otherSide(side)]);
  }

  /**
   * The standby endpoint takes `side` over; the old one is destroyed (its relay with it). It
   * inherits whether the side held the other, so the newcomer's answer decides about the
   * music (updateHold); when the other side holds, the newcomer hears the music.
   */
  promoteStandby(side: Side): void {
    const s = this.standby[side];
    if (!s) throw new Error(`no standby endpoint for side ${side}`);
    delete this.standby[side];
    const old = this.sides[side];
    s.holding = old.holding;
    this.sides[side] = s;
    this.relayedCodecs = undefined;
    this.relayMode = null;
    this.request('endpoint.destroy', this.port.destroyEndpoint(old.endpointId));
    if (this.sides[otherSide(side)].holding) this.music(s, true);
  }

  /** The standby endpoint is not needed after all. */
  closeStandby(side: Side): void {
    const s = this.standby[side];
    if (!s) return;
    delete this.standby[side];
    this.request('endpoint.destroy', this.port.destroyEndpoint(s.endpointId));
  }

  /** The same offer again (a session refresh, RFC 4028 §7.4: no change, same o= version). */
  repeatOffer(side: Side): string {
    const s = this.sides[side];
    if (s.sdp.lastBody === undefined) return this.offerTo(side);
    if (s.codec !== undefined) s.offered = [s.codec];
    return s.sdp.lastBody;
  }

  /** Records `side`'s offer without answering it yet (the caller's INVITE, before the callee answers). */
  holdOffer(side: Side, offer: SessionDescription): void {
    this.sides[side].remote = offer;
  }

  /**
   * Our answer to `side`'s offer (the pending one from `holdOffer`, or `offer`): one codec,
   * the peer side's when offered; throws SdpError(488) when nothing is usable. Returns the
   * same body again when nothing changed (RFC 3264 §8: unchanged version).
   */
  answerTo(side: Side, offer?: SessionDescription): string {
    const s = this.sides[side];
    const desc = offer ?? s.remote;
    const prefer = s.codecName ?? this.sides[otherSide(side)].codecName;
    const answer = singleCodecAnswer(desc?.audio, this.opts.codecs, prefer);
    s.remote = desc;
    this.adopt(side, answer.codecs[0]!, answer.telephoneEvent);
    return s.sdp.build(s.port, { codecs: answer.codecs, ...(answer.telephoneEvent ? { telephoneEvent: answer.telephoneEvent } : {}), direction: answer.direction }, desc);
  }

  /** `side` answered our offer; throws SdpError(488) when the answer is unusable. */
  takeAnswer(side: Side, answer: SessionDescription): void {
    const s = this.sides[side];
    const { codecs, telephoneEvent } = readAnswer(answer.audio, s.offered);
    s.remote = answer;
    this.adopt(side, codecs[0]!, telephoneEvent, codecs);
  }

  /** Relay on, or re-made when a side's codec changed since. */
  connect(): void {
    const { a, b } = this.sides;
    if (this.closed || a.codec === undefined || b.codec === undefined) return;
    const key = `${a.codecName}|${b.codecName}`;
    if (key === this.relayedCodecs) return;
    if (this.relayedCodecs !== undefined) this.request('unrelay', this.port.unrelay(a.endpointId));
    this.relayedCodecs = key;
    this.port.relay(a.endpointId, b.endpointId).then(
      (r) => (this.relayMode = r.mode),
      (err: Error) => this.failed('relay', err),
    );
  }

  /**
   * Hold bookkeeping after `side`'s latest SDP (RFC 3264 §8.4): 'start' when it now holds
   * the other party (music starts for that party), 'stop' when it resumed.
   */
  updateHold(side: Side): 'start' | 'stop' | undefined {
    const s = this.sides[side];
    const holding = s.remote?.audio !== undefined && isHold(s.remote.audio);
    if (holding === s.holding) return undefined;
    const wasOnHold = this.onHold;
    s.holding = holding;
    // The engine suspends the media timeout while the call is on hold, and counts the
    // silence again from the resume (a phone that never sends again still times out).
    if (this.onHold !== wasOnHold && !this.closed) {
      for (const x of [this.sides.a, this.sides.b]) this.request('endpoint.update', this.port.updateEndpoint(x.endpointId, { onHold: this.onHold }));
    }
    const held = this.sides[otherSide(side)];
    if (holding && !held.hearingMusic) this.music(held, true);
    else if (!holding && held.hearingMusic) this.music(held, false);
    return holding ? 'start' : 'stop';
  }

  /**
   * Music on hold for `side`'s phone while its peer is being replaced (a transfer ringing its
   * target, transfer/): on; or off, back to what the SDPs say (music stays when the other
   * side still holds).
   */
  musicWhileTransferring(side: Side, on: boolean): void {
    const s = this.sides[side];
    const want = on || this.sides[otherSide(side)].holding;
    if (want === s.hearingMusic || this.closed) return;
    this.music(s, want);
  }

  /**
   * Music on or off for a side's endpoint. Each request waits for the answer to the one
   * before: the worker answers moh.start only once the file is loaded and would handle a
   * moh.stop sent meanwhile first, leaving the music on for good (a hold resumed at once, a
   * transfer target answering within milliseconds).
   */
  private music(s: MediaSide, on: boolean): void {
    s.hearingMusic = on;
    const what = on ? 'moh.start' : 'moh.stop';
    const send = () => (on ? this.port.startMusicOnHold(s.endpointId, this.opts.musicOnHold) : this.port.stopMusicOnHold(s.endpointId));
    s.musicRequest = s.musicRequest.then(() => (this.closed ? null : send())).catch((err: Error) => this.failed(what, err));
  }

  /** Whether `side` negotiated RFC 4733 telephone-event. */
  hasTelephoneEvent(side: Side): boolean {
    return this.sides[side].telephoneEvent !== undefined;
  }

  sendDtmf(side: Side, digit: string, durationMs: number): void {
    this.request('dtmf.send', this.port.sendDtmf(this.sides[side].endpointId, digit, durationMs));
  }

  stats(side: Side): Promise<EndpointStats | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    return this.port.endpointStats(this.sides[side].endpointId).catch(() => undefined);
  }

  /** `address:port` the side's phone told us to send to, or '' before its SDP. */
  remoteOf(side: Side): string {
    const a = this.sides[side].remote?.audio;
    if (!a) return '';
    return a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = [this.sides.a, this.sides.b, this.standby.a, this.standby.b].filter((s): s is MediaSide => s !== undefined);
    await Promise.all(all.map((s) => this.port.destroyEndpoint(s.endpointId).catch(() => null)));
  }

  /** A side's codec (and where to send) is now known: tell its endpoint. */
  private adopt(side: Side, codec: SdpCodec, telephoneEvent: SdpCodec | undefined, receivable: SdpCodec[] = [codec]): void {
    const s = this.sides[side];
    const changed = s.codec?.payloadType !== codec.payloadType || s.codecName !== engineCodecOf(codec) || s.telephoneEvent?.payloadType !== telephoneEvent?.payloadType;
    s.codec = codec;
    s.telephoneEvent = telephoneEvent;
    const change: EndpointChange = {};
    const audio = s.remote?.audio;
    if (audio && audio.port !== 0 && !isUnspecifiedAddress(audio.address)) {
      change.remote = { address: audio.address, port: audio.port, ...(audio.rtcpPort !== undefined ? { rtcpPort: audio.rtcpPort } : {}) };
      // RFC 5761 §5.1.1: RTCP is muxed when offer and answer both say so. Our offers always
      // do and our answers mirror the offer, so the phone's SDP decides.
      change.rtcpMux = audio.rtcpMux;
    }
    if (changed) change.payloads = toPayloadMappings([codec, ...receivable.filter((c) => c !== codec)]);
    if (changed && telephoneEvent) {
      change.telephoneEventPt = telephoneEvent.payloadType;
      change.telephoneEventClockRate = telephoneEvent.clockRate; // RFC 4733 §7.1.1: durations count in it
    }
    if (this.closed || (change.remote === undefined && change.payloads === undefined)) return;
    this.request('endpoint.update', this.port.updateEndpoint(s.endpointId, change));
    if (changed && this.relayedCodecs !== undefined) this.connect();
  }

  private request(what: string, p: Promise<unknown>): void {
    p.catch((err: Error) => this.failed(what, err));
  }

  private failed(what: string, err: Error): void {
    if (this.closed) return;
    this.opts.log.warn({ event: 'call.media_failed', call: this.callId, request: what, error: err.message }, `media ${what} failed: ${err.message}`);
  }
}

export type { MediaDirection };
