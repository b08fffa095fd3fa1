/**
 * Maps a relayed source's sequence numbers and timestamps onto the outgoing leg's own
 * stream (RFC 3550 §5.1: our SSRC, our random initial numbers; RFC 7667 §3.2.1.1 translator).
 * Pure arithmetic, no I/O.
 *
 * While nothing else touches the outgoing stream and the route (source payload type ->
 * outgoing payload type) stays the same, the mapping is a fixed offset taken at the
 * anchor, so the source's gaps and reordering stay visible to the far end, and timestamps
 * scale by the clock-rate ratio when the two sides' clocks differ (transcoding). It is
 * re-anchored on the outgoing stream's next numbers, with the marker bit set (RFC 3551
 * §4.1: the receiver re-syncs its playout), when:
 *  - it is the first packet;
 *  - the route changed (the phone switched codec, a pass-through payload type became a
 *    transcoded one or back);
 *  - someone else sent on the outgoing stream meanwhile (music on hold, a prompt, DTMF from
 *    the switch): the stream's next sequence number is not the one we left it at.
 */
export class StreamRewriter {
  /** Results of the last `map`. */
  seq = 0;
  ts = 0;
  /** The mapping was (re-)anchored on this packet. */
  reanchored = false;
  private seqOffset = 0;
  private srcTsAnchor = 0;
  private outTsAnchor = 0;
  private srcRate = 0;
  private outRate = 0;
  private route = -1;
  /** The outgoing stream's next sequence number after our last send; -1: none yet. */
  private expectedNext = -1;

  /**
   * Map one source packet. `route` identifies the payload-type route; `outNextSeq` /
   * `outNextTs` are the outgoing stream's next numbers (OutboundRtp.nextSequence/Timestamp).
   */
  map(srcSeq: number, srcTs: number, srcRate: number, outRate: number, route: number, outNextSeq: number, outNextTs: number): void {
    const fresh = outNextSeq !== this.expectedNext || route !== this.route || srcRate !== this.srcRate || outRate !== this.outRate;
    if (fresh) {
      this.seqOffset = (outNextSeq - srcSeq) & 0xffff;
      this.srcTsAnchor = srcTs >>> 0;
      this.outTsAnchor = outNextTs >>> 0;
      this.srcRate = srcRate;
      this.outRate = outRate;
      this.route = route;
    }
    this.reanchored = fresh;
    this.seq = (srcSeq + this.seqOffset) & 0xffff;
    const d = (srcTs - this.srcTsAnchor) | 0; // signed distance modulo 2^32
    this.ts = (this.outTsAnchor + (srcRate === outRate ? d : Math.round((d * outRate) / srcRate))) >>> 0;
  }

  /** After sending (or not): the outgoing stream's next sequence number. */
  sent(outNextSeq: number): void {
    this.expectedNext = outNextSeq;
  }
}
