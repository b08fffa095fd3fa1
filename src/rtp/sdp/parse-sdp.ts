/**
 * parseSdp: an SDP body (RFC 4566) to the typed SessionDescription call control uses.
 *
 * The RFC 4566 §5 structure is checked on the raw lines (sdp-structure.ts); sdp-transform
 * reads the attributes (rtpmap, fmtp, direction, ptime, rtcp, rtcp-mux, extmap). The audio
 * stream described is the first audio m-line we could use (enabled, RTP/AVP or RTP/AVPF),
 * else the first enabled audio m-line, else the first audio m-line: an offer that lists an
 * RTP/SAVP stream and then an RTP/AVP fallback stream gets the fallback answered
 * (RFC 3264 §6 answers each stream; the others are rejected with port 0).
 */
import { parse as parseSdpLines, type MediaDescription, type SessionDescription as RawSession } from 'sdp-transform';
import { SdpError } from './sdp-error.js';
import { readSdpStructure, type MediaBlock, type SdpStructure } from './sdp-structure.js';
import { readAudioDescription } from './audio-description.js';
import { isUsableAudioProtocol } from './media-protocol.js';
import type { SessionDescription } from './types.js';

/** Parse an SDP body; throws SdpError(400) when it is not valid SDP. */
export function parseSdp(body: Buffer | string): SessionDescription {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const structure = readSdpStructure(text);
  let raw: RawSession;
  try {
    raw = parseSdpLines(text);
  } catch (err) {
    throw new SdpError(`malformed SDP: ${(err as Error).message}`, 400);
  }
  if (raw.media.length !== structure.media.length) throw new SdpError('malformed SDP: m= lines could not be read', 400);
  const description: SessionDescription = {
    origin: {
      username: structure.origin.username,
      sessionId: structure.origin.sessionId,
      sessionVersion: structure.origin.sessionVersion,
      address: structure.origin.address,
    },
    media: structure.media.map(({ type, port, protocol, formats }) => ({ type, port, protocol, formats })),
  };
  const index = chooseAudio(structure.media);
  if (index !== undefined) {
    description.audio = readAudioDescription(index, structure, raw.media[index] as MediaDescription, raw);
  }
  return description;
}

/** Index of the audio m-line to describe (see the module comment), or undefined. */
function chooseAudio(media: readonly MediaBlock[]): number | undefined {
  const audio = media.map((m, i) => ({ m, i })).filter(({ m }) => m.type.toLowerCase() === 'audio');
  const usable = audio.find(({ m }) => m.port !== 0 && isUsableAudioProtocol(m.protocol));
  const enabled = audio.find(({ m }) => m.port !== 0);
  return (usable ?? enabled ?? audio[0])?.i;
}

export type { SdpStructure };
