/**
 * What a relay does with each payload type a phone may send (RFC 3264 §6.1: a phone may
 * send any codec of the negotiated list, and switch between them mid-call): payload types
 * are only names for codecs within one leg (RFC 3551 §3), so they are matched between the
 * legs by codec name.
 *  - The other leg negotiated the same codec: pass the packet through, its payload type
 *    rewritten to the other leg's number for that codec.
 *  - It did not: transcode the packet to the other leg's send codec.
 *  - A payload type this leg never negotiated: no route (the packet is dropped, counted).
 */
import type { AudioCodec } from '../../rtp/codec/codec.js';
import { codecByName } from '../../rtp/codec/registry.js';
import type { PayloadMapping } from '../channel/protocol.js';

export interface PassRoute {
  kind: 'pass';
  /** Payload type on the outgoing leg. */
  outPt: number;
  codec: AudioCodec;
  /** One 20 ms frame in timestamp units (where the outgoing stream continues after it). */
  step: number;
  /** Identifies the route for StreamRewriter. */
  key: number;
}

export interface TranscodeRoute {
  kind: 'transcode';
  /** The codec the source packet is in. */
  codec: AudioCodec;
  key: number;
}

export type PayloadRoute = PassRoute | TranscodeRoute;

/** Routes by source payload type (0-127), null where the source leg has no such payload type. */
export function payloadRoutes(from: readonly PayloadMapping[], to: readonly PayloadMapping[]): (PayloadRoute | null)[] {
  const routes: (PayloadRoute | null)[] = new Array<PayloadRoute | null>(128).fill(null);
  for (const p of from) {
    if (p.payloadType < 0 || p.payloadType > 127 || routes[p.payloadType]) continue;
    const codec = codecByName(p.codec);
    const same = to.find((q) => q.codec === p.codec);
    routes[p.payloadType] = same
      ? { kind: 'pass', outPt: same.payloadType, codec, step: codec.timestampStep(20), key: (p.payloadType << 8) | same.payloadType }
      : { kind: 'transcode', codec, key: 0x10000 | (p.payloadType << 8) };
  }
  return routes;
}

/** Pass-through when what each leg's phone is sent by default is a codec the other leg negotiated. */
export function relayMode(a: readonly PayloadMapping[], b: readonly PayloadMapping[]): 'passthrough' | 'transcode' {
  const has = (list: readonly PayloadMapping[], codec: string | undefined) => list.some((p) => p.codec === codec);
  return has(b, a[0]?.codec) && has(a, b[0]?.codec) ? 'passthrough' : 'transcode';
}
