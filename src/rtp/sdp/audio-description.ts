/**
 * One audio m-line (with its session-level defaults) to an AudioDescription.
 *
 * - Formats in m-line order are the sender's preference (RFC 3264 §5.1).
 * - A payload type's name comes from its a=rtpmap (RFC 4566 §6) or, for static types
 *   without one, from RFC 3551 §6; a dynamic type without rtpmap cannot be named and is
 *   left out.
 * - RFC 4733 telephone-event is kept apart from the audio codecs; when several are listed
 *   (WebRTC lists telephone-event/48000 and /8000) the 8000 Hz one is described, the rest
 *   are in `telephoneEvents` for negotiation.
 * - Direction: media-level attribute, else session-level, else sendrecv (RFC 3264 §5.1);
 *   with c=0.0.0.0 the peer is not to be sent anything (RFC 3264 §8.4), so its
 *   "recv" half is dropped.
 */
import type { MediaDescription, SessionDescription as RawSession } from 'sdp-transform';
import { isTelephoneEvent, staticAudioFormat } from './payload-formats.js';
import type { MediaBlock, SdpStructure } from './sdp-structure.js';
import type { AudioDescription, MediaDirection, SdpCodec } from './types.js';
import { isUnspecifiedAddress } from './hold.js';

/** RFC 6464 client-to-mixer audio level header extension URI. */
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

function codecOf(pt: number, media: MediaDescription): SdpCodec | undefined {
  const map = media.rtp.find((r) => r.payload === pt);
  const fmtp = media.fmtp.find((f) => f.payload === pt)?.config;
  let codec: SdpCodec | undefined;
  if (map) {
    const clockRate = Number(map.rate);
    // RFC 4566 §6: rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>].
    // A broken rtpmap leaves its format unnamed (left out) rather than failing the whole body.
    if (!map.codec || !Number.isInteger(clockRate) || clockRate <= 0) return undefined;
    codec = { payloadType: pt, name: map.codec, clockRate };
    const channels = Number(map.encoding);
    if (map.encoding !== undefined && Number.isInteger(channels) && channels > 0) codec.channels = channels;
  } else {
    const known = staticAudioFormat(pt);
    if (!known) return undefined;
    codec = { payloadType: pt, name: known.name, clockRate: known.clockRate };
    if (known.channels !== undefined) codec.channels = known.channels;
  }
  if (fmtp !== undefined && fmtp !== '') codec.fmtp = fmtp;
  return codec;
}

function directionOf(media: MediaDescription, session: RawSession, unspecified: boolean): MediaDirection {
  const written: MediaDirection = media.direction ?? session.direction ?? 'sendrecv';
  if (!unspecified) return written;
  // RFC 3264 §8.4: c=0.0.0.0 means "neither RTP nor RTCP should be sent to the peer".
  if (written === 'sendrecv') return 'sendonly';
  if (written === 'recvonly') return 'inactive';
  return written;
}

function positiveNumber(value: unknown): number | undefined {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function splitEvents(codecs: SdpCodec[]): { audio: SdpCodec[]; events: SdpCodec[] } {
  const audio: SdpCodec[] = [];
  const events: SdpCodec[] = [];
  for (const c of codecs) (isTelephoneEvent(c) ? events : audio).push(c);
  return { audio, events };
}

/** Read m-line `index` of a body whose structure is already checked. */
export function readAudioDescription(index: number, structure: SdpStructure, media: MediaDescription, session: RawSession): AudioDescription {
  const block: MediaBlock = structure.media[index]!;
  const connection = block.connection ?? structure.connection;
  const address = connection?.address ?? '0.0.0.0';
  const listed = block.formats.map((f) => codecOf(Number(f), media)).filter((c): c is SdpCodec => c !== undefined);
  const { audio, events } = splitEvents(listed);
  const desc: AudioDescription = {
    address,
    port: block.port,
    codecs: audio,
    direction: directionOf(media, session, isUnspecifiedAddress(address)),
    rtcpMux: media.rtcpMux === 'rtcp-mux',
    protocol: block.protocol,
    addressFamily: connection?.family ?? 'IP4',
    index,
  };
  if (events.length > 0) {
    desc.telephoneEvent = events.find((e) => e.clockRate === 8000) ?? events[0]!;
    desc.telephoneEvents = events;
  }
  const ptime = positiveNumber(media.ptime);
  if (ptime !== undefined) desc.ptime = ptime;
  const rtcpPort = positiveNumber(media.rtcp?.port);
  if (rtcpPort !== undefined) desc.rtcpPort = rtcpPort;
  const level = (media.ext ?? session.ext)?.find((e) => e.uri === AUDIO_LEVEL_URI);
  if (level) desc.audioLevelExtId = level.value;
  return desc;
}
