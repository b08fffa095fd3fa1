/**
 * The media of one caller's dialog with a conference room: one engine endpoint facing the
 * phone, with its own SDP session (o= version, RFC 3264 §8). Codec choice as for calls
 * (codec-choice.ts): our answer names one codec (the caller's first usable), plus
 * telephone-event (RFC 4733) when the phone offered it, so PIN digits arrive as events.
 *
 *   open() ........ the endpoint (any worker: the engine's rooms span workers)
 *   answer(offer) . our answer to the phone's offer (INVITE, re-INVITE, UPDATE)
 *   offer() ....... our offer (INVITE without SDP; the re-INVITE after a transfer into the room)
 *   takeAnswer() .. the phone's answer to our offer
 *   holding ....... the phone's latest SDP puts us on hold (RFC 3264 §8.4)
 */
import type { Logger } from '../../log/logger.js';
import type { CodecName } from '../../rtp/codec/codec.js';
import { engineCodecOf, isHold, isUnspecifiedAddress, LocalSdp, toPayloadMappings, type SdpCodec, type SessionDescription } from '../../rtp/sdp/index.js';
import { offerCodecs, readAnswer, singleCodecAnswer } from '../calls/codec-choice.js';
import type { EndpointChange } from '../calls/media-port.js';
import type { ConferenceMediaPort } from './conference-media.js';

export interface RoomLegMediaOptions {
  address: string;
  codecs: readonly CodecName[];
  mediaTimeoutMs: number;
  log: Logger;
}

export class RoomLegMedia {
  private port = 0;
  private readonly sdp: LocalSdp;
  private offered: SdpCodec[] = [];
  private codec: SdpCodec | undefined;
  private telephoneEvent: SdpCodec | undefined;
  private remote: SessionDescription | undefined;
  private opened = false;
  private closed = false;

  constructor(
    readonly endpointId: string,
    private readonly engine: ConferenceMediaPort,
    private readonly opts: RoomLegMediaOptions,
  ) {
    this.sdp = new LocalSdp({ address: opts.address });
  }

  get codecName(): string | null {
    return this.codec?.name ?? null;
  }

  /** Whether the phone negotiated RFC 4733 telephone-event (else its keys come as SIP INFO). */
  get hasTelephoneEvent(): boolean {
    return this.telephoneEvent !== undefined;
  }

  /** The phone's SDP puts us on hold (sendonly, inactive, 0.0.0.0: RFC 3264 §8.4). */
  get holding(): boolean {
    return this.remote?.audio !== undefined && isHold(this.remote.audio);
  }

  /** `address:port` the phone's SDP names, or '' before it. */
  get remoteAddress(): string {
    const a = this.remote?.audio;
    if (!a) return '';
    return a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  }

  get lastBody(): string | undefined {
    return this.sdp.lastBody;
  }

  async open(): Promise<void> {
    const payloads = toPayloadMappings(offerCodecs([], this.opts.codecs).codecs.slice(0, 1));
    const { localPort } = await this.engine.createEndpoint({ endpointId: this.endpointId, payloads, symmetricLatching: true, mediaTimeoutMs: this.opts.mediaTimeoutMs });
    this.port = localPort;
    this.opened = true;
    if (this.closed) await this.engine.destroyEndpoint(this.endpointId).catch(() => null);
  }

  /** Our answer to the phone's offer; throws SdpError(488) when nothing is usable (RFC 3264 §6). */
  answer(offer: SessionDescription): string {
    const answer = singleCodecAnswer(offer.audio, this.opts.codecs, this.codec ? engineCodecOf(this.codec) : undefined);
    this.remote = offer;
    this.adopt(answer.codecs[0]!, answer.telephoneEvent);
    return this.sdp.build(this.port, { codecs: answer.codecs, ...(answer.telephoneEvent ? { telephoneEvent: answer.telephoneEvent } : {}), direction: answer.direction }, offer);
  }

  offer(): string {
    const { codecs, telephoneEvent } = offerCodecs([], this.opts.codecs);
    this.offered = codecs;
    return this.sdp.build(this.port, { codecs, telephoneEvent, direction: 'sendrecv', rtcpMux: true });
  }

  /** The phone's answer to our offer; throws SdpError(488) when unusable. */
  takeAnswer(answer: SessionDescription): void {
    const { codecs, telephoneEvent } = readAnswer(answer.audio, this.offered);
    this.remote = answer;
    this.adopt(codecs[0]!, telephoneEvent);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.opened) await this.engine.destroyEndpoint(this.endpointId).catch(() => null);
  }

  private adopt(codec: SdpCodec, telephoneEvent: SdpCodec | undefined): void {
    this.codec = codec;
    this.telephoneEvent = telephoneEvent;
    const change: EndpointChange = { payloads: toPayloadMappings([codec]) };
    const audio = this.remote?.audio;
    if (audio && audio.port !== 0 && !isUnspecifiedAddress(audio.address)) {
      change.remote = { address: audio.address, port: audio.port, ...(audio.rtcpPort !== undefined ? { rtcpPort: audio.rtcpPort } : {}) };
      change.rtcpMux = audio.rtcpMux;
    }
    if (telephoneEvent) {
      change.telephoneEventPt = telephoneEvent.payloadType;
      change.telephoneEventClockRate = telephoneEvent.clockRate;
    }
    change.onHold = this.holding;
    if (this.closed) return;
    this.engine.updateEndpoint(this.endpointId, change).catch((err: Error) => {
      if (!this.closed) this.opts.log.warn({ event: 'conference.media_failed', endpoint: this.endpointId, error: err.message }, `endpoint update failed: ${err.message}`);
    });
  }
}
