/**
 * What the running switch tells the operator about one live call (`calls.list` over the
 * control socket, `softswitch calls`). The call core (src/app/calls) builds these; the CLI
 * only renders them. Plain JSON: numbers, strings, null, arrays.
 */

export type LiveCallState = 'routing' | 'ringing' | 'early' | 'answered' | 'held' | 'transferring' | 'ending';

export interface LiveLegView {
  /** 'a' faces the caller, 'b' faces the callee (the answering device, or one fork while ringing). */
  role: 'a' | 'b';
  /** Device extension of this leg's phone; null for a party that is not one of our devices. */
  device: string | null;
  /** Where the leg's RTP comes from / goes to: `address:port` (`[v6]:port`). */
  remote: string;
  /** Negotiated audio codec name ('PCMU', 'opus', ...); null before the answer. */
  codec: string | null;
  /** RTP packets received from this leg's phone. */
  packetsIn: number;
  /** RTP packets sent to this leg's phone. */
  packetsOut: number;
  /** Packets from this leg's phone lost on the way (sequence gaps). */
  lost: number;
  /** Interarrival jitter of this leg's incoming stream (RFC 3550 §6.4.1), in ms. */
  jitterMs: number;
  /**
   * What this leg's phone reports by RTCP (RFC 3550 §6.4.1) about the audio we send it - the
   * other party's audio on this leg's hop - and the round trip to it; null until it reported.
   */
  reported?: LegReportView | null;
}

export interface LegReportView {
  /** Fraction lost in the phone's last reporting interval, %. */
  lossPercent: number;
  /** Packets lost in all, as the phone counts them. */
  lost: number;
  jitterMs: number;
  /** From LSR/DLSR; null when the phone does not echo our sender reports. */
  rttMs: number | null;
}

export interface LiveCallView {
  /** Our call id (uuid); the same id as the call's history row. */
  id: string;
  state: LiveCallState;
  caller: { number: string; name: string | null; device: string | null };
  dialled: string;
  callee: { user: string | null; ringing: string[]; answeredBy: string | null };
  /** Epoch ms. */
  startedAt: number;
  answeredAt: number | null;
  legs: LiveLegView[];
  relay: 'passthrough' | 'transcode' | null;
}

/** Method `calls.list`: no params; result `LiveCallView[]`, oldest call first. */
export const CALLS_LIST = 'calls.list';

/**
 * Method `calls.hangup`: params `{ call: <full call id> }`; result `{ id }` of the call it
 * ended. Throws (-> one-line error response) when there is no such call. Prefix matching is
 * the caller's business (`matchCallId` in call-id-prefix.ts); the handler takes full ids.
 */
export const CALLS_HANGUP = 'calls.hangup';

export interface HangupParams {
  call: string;
}

export interface HangupResult {
  id: string;
}
