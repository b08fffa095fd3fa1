/** What the jitter buffer (./jitter-buffer.ts) takes and gives: options, one tick's output, statistics. */
export type JitterOutputKind = 'frame' | 'conceal' | 'empty';
export type ConcealReason = 'loss' | 'underrun' | 'stretch' | 'none';

export interface JitterOutput {
  kind: JitterOutputKind;
  /** Why a 'conceal' was returned ('none' for other kinds). */
  reason: ConcealReason;
  /** The frame's payload (kind 'frame'), else empty. */
  payload: Uint8Array;
  /** 16-bit sequence number of the frame played or concealed. */
  sequence: number;
  /** RTP timestamp of the frame (estimated for a concealed one). */
  timestamp: number;
  marker: boolean;
}

export interface JitterBufferOptions {
  /** RTP clock rate of the stream (8000 for PCMU/PCMA/G722, 48000 for Opus). */
  clockRate: number;
  /** Playout tick = one packet, ms (default 20). */
  frameMs?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Ring slots (default 50 = 1 s of 20 ms frames); must exceed maxDelayMs / frameMs + 2. */
  capacity?: number;
  /** Largest payload kept; larger packets are dropped and counted (default 480). */
  maxPayloadBytes?: number;
  /** Consecutive underrun concealments before the stream counts as paused (default 5). */
  maxUnderrunFrames?: number;
  /** Minimum ticks between two backlog corrections (default 10 = 200 ms). */
  adjustIntervalTicks?: number;
  /** Ticks for the late-packet hold to decay by one frame (default 250 = 5 s). */
  holdDecayTicks?: number;
}

export interface JitterStats {
  /** Packets accepted (not duplicates, not oversize, not rejected jumps). */
  received: number;
  /** Expected minus received over the stream (RFC 3550 A.3), never negative. */
  lost: number;
  late: number;
  duplicates: number;
  reordered: number;
  /** Frames dropped by the backlog control. */
  dropped: number;
  /** Packets refused: too large, or a sequence jump that was not confirmed. */
  discarded: number;
  /** Ticks answered with 'conceal', by reason. */
  concealedLoss: number;
  concealedUnderrun: number;
  stretched: number;
  resets: number;
  /** Current target delay and current buffered span, ms. */
  targetDelayMs: number;
  bufferedMs: number;
  /** RFC 3550 §6.4.1 interarrival jitter, ms. */
  jitterMs: number;
}
