/**
 * The one channel between the main thread and the media workers: every request, response
 * and event, as discriminated unions. Requests carry an `id`; the worker answers each with
 * exactly one response carrying the same id. Events flow up unasked.
 *
 * Audio never crosses this channel: it stays in the worker that owns the sockets, or
 * crosses workers through the SharedArrayBuffer of a room span (span/room-span.ts).
 *
 *   main thread (MediaEngine)                 media worker (worker/worker-main.ts)
 *     { id, type: 'endpoint.create', ... } ->
 *                                          <- { id, ok: true, result }  | { id, ok: false, error }
 *                                          <- { event: 'dtmf', ... }    (unasked)
 */
import type { CodecName } from '../../rtp/codec/codec.js';

export type EndpointId = string;
export type RoomId = string;
export type PlaybackId = string;

/** One `a=rtpmap` line of the negotiated SDP. */
export interface PayloadMapping {
  payloadType: number;
  codec: CodecName;
}

export interface RemoteAddress {
  address: string;
  /** RTP port (m= line). */
  port: number;
  /**
   * Where the peer wants RTCP when it is not multiplexed: its `a=rtcp` port (RFC 3605 §2.1),
   * absent: `port + 1` (RFC 3550 §11). Ignored while RTCP is muxed (RFC 5761).
   */
  rtcpPort?: number;
}

export interface EndpointConfig {
  endpointId: EndpointId;
  /** Local RTP port (even); RTCP is multiplexed on it (RFC 5761) unless `rtcpMux` is false. */
  localPort: number;
  /** Address the socket binds to (default 0.0.0.0). */
  bindAddress?: string;
  /** Where to send RTP, from the remote SDP; absent until known (then the first source is latched). */
  remote?: RemoteAddress;
  /**
   * Symmetric RTP (RFC 4961): send to wherever packets come from. The first packet's source
   * is latched; packets from any other source are dropped afterwards.
   */
  symmetricLatching?: boolean;
  /**
   * Negotiated audio payload types; the first is what we send. A relay passes a packet of
   * any of them through when the other leg negotiated the same codec, else transcodes it.
   */
  payloads: PayloadMapping[];
  /** RFC 4733 telephone-event payload type, when negotiated. */
  telephoneEventPt?: number;
  /**
   * The telephone-event's own clock rate (its `a=rtpmap`, RFC 4733 §7.1.1); default: the
   * send codec's RTP clock rate, which RFC 4733 §2.1 expects it to equal. Durations are
   * counted in it; event timestamps stay in the audio stream's timestamp base (§2.1).
   */
  telephoneEventClockRate?: number;
  /**
   * RTCP multiplexed on the RTP port (RFC 5761), the default. False: RTCP also has its own
   * socket on `localPort + 1` (RFC 3550 §11) and goes to the remote's `rtcpPort`.
   */
  rtcpMux?: boolean;
  /** RFC 6464 client-to-mixer audio level: the extmap id negotiated in SDP (RFC 8285 §5). */
  audioLevelExtensionId?: number;
  /**
   * Raise `media.timeout` after this long without an RTP packet, and again after each further
   * period of silence (0 or absent: never). Suspended while the endpoint is on hold.
   */
  mediaTimeoutMs?: number;
}

/** What `endpoint.update` may change (a re-INVITE, the answer to our offer, hold). */
export interface EndpointUpdate {
  remote?: RemoteAddress;
  payloads?: PayloadMapping[];
  telephoneEventPt?: number;
  telephoneEventClockRate?: number;
  /** RTCP muxed (RFC 5761) or on its own port pair: what the offer/answer settled. */
  rtcpMux?: boolean;
  /**
   * The call is on hold (RFC 3264 §8.4): silence is expected, so the media timeout is
   * suspended; when hold ends, the silence is counted again from that moment.
   */
  onHold?: boolean;
}

export type PlaybackTarget = { endpointId: EndpointId } | { roomId: RoomId };

export interface RoomConfig {
  roomId: RoomId;
  /** How many talkers are mixed (default 3). */
  maxTalkers?: number;
  /** Hangover in ms before a talker who fell silent leaves the mix (default 300). */
  hangoverMs?: number;
  /** Everyone hears `musicFile` until an owner is in the room (and again when the last owner leaves). */
  waitForOwner?: boolean;
  /** Music for wait-for-owner (WAV 8/16 kHz 16-bit mono, or raw G.711 .ul/.al). */
  musicFile?: string;
  /** Played to the room when someone joins / leaves; absent: a short generated tone. `null`: none. */
  joinToneFile?: string | null;
  leaveToneFile?: string | null;
}

export interface JoinOptions {
  owner?: boolean;
  muted?: boolean;
  deafened?: boolean;
  /** Played to this participant only, on entry. */
  greetingFile?: string;
}

// ---------------------------------------------------------------- requests (main -> worker)

export type Request =
  | { id: number; type: 'endpoint.create'; config: EndpointConfig }
  | ({ id: number; type: 'endpoint.update'; endpointId: EndpointId } & EndpointUpdate)
  | { id: number; type: 'endpoint.destroy'; endpointId: EndpointId }
  | { id: number; type: 'endpoint.mute'; endpointId: EndpointId; muted: boolean }
  | { id: number; type: 'endpoint.deafen'; endpointId: EndpointId; deafened: boolean }
  | { id: number; type: 'endpoint.stats'; endpointId: EndpointId }
  | { id: number; type: 'dtmf.send'; endpointId: EndpointId; digits: string; durationMs?: number }
  | { id: number; type: 'relay.connect'; a: EndpointId; b: EndpointId }
  | { id: number; type: 'relay.disconnect'; endpointId: EndpointId }
  | { id: number; type: 'room.create'; config: RoomConfig; span: RoomSpanInit }
  | { id: number; type: 'room.destroy'; roomId: RoomId }
  | { id: number; type: 'room.add'; roomId: RoomId; endpointId: EndpointId; participant: number; options: JoinOptions }
  | { id: number; type: 'room.remove'; roomId: RoomId; endpointId: EndpointId }
  /** Play the room's join/leave tone on this worker's share of a room (someone joined elsewhere). */
  | { id: number; type: 'room.tone'; roomId: RoomId; tone: 'join' | 'leave' }
  | { id: number; type: 'play.start'; playbackId: PlaybackId; target: PlaybackTarget; file: string; loop: boolean }
  | { id: number; type: 'play.stop'; playbackId: PlaybackId }
  | { id: number; type: 'moh.start'; endpointId: EndpointId; file: string }
  | { id: number; type: 'moh.stop'; endpointId: EndpointId }
  | { id: number; type: 'worker.stats' }
  /** Test hook: make the worker exit as if it had crashed. */
  | { id: number; type: 'worker.crash' };

export type RequestType = Request['type'];
export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;
/** A request as the caller writes it: the engine assigns the id. */
export type RequestBody<T extends RequestType> = Omit<RequestOf<T>, 'id'>;

/** The shared memory a room uses to span workers (see span/room-span.ts for the layout). */
export interface RoomSpanInit {
  buffer: SharedArrayBuffer;
  /** Worker slots the buffer was laid out for, and talkers per slot. */
  maxWorkers: number;
  maxTalkers: number;
}

// ---------------------------------------------------------------- responses (worker -> main)

export interface EndpointStats {
  endpointId: EndpointId;
  packetsReceived: number;
  packetsSent: number;
  bytesReceived: number;
  bytesSent: number;
  /** Sequence-number gaps seen on arrival (RFC 3550 §6.4.1 cumulative lost). */
  packetsLost: number;
  /** Frames the jitter buffer had to conceal. */
  concealed: number;
  /** Packets dropped: from an unlatched source, unknown payload type, malformed. */
  dropped: number;
  /** Valid RTCP compound packets received (muxed or on the RTCP port). */
  rtcpReceived: number;
  /** RTCP compound packets we sent (our SR/RR + SDES, RFC 3550 §6.4). */
  rtcpSent?: number;
  /** What the peer's latest RTCP report says about the stream we send it; absent until one came. */
  peer?: PeerReport;
  /** Interarrival jitter (RFC 3550 §6.4.1), in ms. */
  jitterMs: number;
  /** Packets not decoded because RFC 6464 or DTX said the source was silent. */
  silentSkipped: number;
  /** Jitter buffer: current target delay and buffered span, ms; frames dropped to cut backlog. */
  jitterTargetMs: number;
  jitterBufferedMs: number;
  jitterDropped: number;
  jitterLate: number;
}

/**
 * A report block from the peer about our stream (RFC 3550 §6.4.1): how the RTP we send it
 * arrives. In a relay this is the quality of the other party's audio on this leg's last hop.
 */
export interface PeerReport {
  /** Fraction lost in the peer's last reporting interval, 0..1. */
  fractionLost: number;
  /** Cumulative packets lost as the peer counts them. */
  cumulativeLost: number;
  /** Interarrival jitter the peer measures, ms. */
  jitterMs: number;
  /** Round-trip time from its LSR/DLSR (§6.4.1), ms; null until it echoed one of our SRs. */
  rttMs: number | null;
  /** How long ago the report arrived, ms. */
  ageMs: number;
}

export interface WorkerStats {
  worker: number;
  ticks: number;
  /** Ticks that started more than one period after their deadline. */
  lateTicks: number;
  /** Ticks run back to back to catch up after a stall. */
  caughtUp: number;
  /** Largest lateness seen, ms. */
  maxLateMs: number;
  /** Ticks by lateness, buckets <=1, <=2, <=5, <=10, <=20, <=50 ms and above (clock/tick-schedule.ts). */
  lateness: number[];
  /** Time spent inside ticks, ms, total. */
  busyMs: number;
  endpoints: number;
  rooms: number;
  /** CPU time of this worker thread (user+system), ms; -1 where the OS does not tell. */
  threadCpuMs: number;
  /** Cross-worker contributions that arrived too late for their tick. */
  spanLate: number;
  /** Ticks the receive path started because the timer was late (clock/tick-loop.ts). */
  ioTicks: number;
  /** When these figures were taken (monotonic ms), so rates use the worker's own interval. */
  atMs: number;
}

export interface ResultMap {
  'endpoint.create': { localPort: number };
  'endpoint.update': null;
  'endpoint.destroy': EndpointStats | null;
  'endpoint.mute': null;
  'endpoint.deafen': null;
  'endpoint.stats': EndpointStats;
  'dtmf.send': null;
  'relay.connect': { mode: 'passthrough' | 'transcode' };
  'relay.disconnect': null;
  'room.create': null;
  'room.destroy': null;
  'room.add': null;
  'room.remove': null;
  'room.tone': null;
  'play.start': { durationMs: number };
  'play.stop': null;
  'moh.start': null;
  'moh.stop': null;
  'worker.stats': WorkerStats;
  'worker.crash': null;
}

export type Response =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string; code?: string };

// ---------------------------------------------------------------- events (worker -> main)

export type WorkerEvent =
  | { event: 'ready'; worker: number }
  | { event: 'dtmf'; endpointId: EndpointId; digit: string; durationMs: number }
  | { event: 'talking'; endpointId: EndpointId; roomId: RoomId; talking: boolean }
  | { event: 'media.timeout'; endpointId: EndpointId; silentMs: number }
  | { event: 'endpoint.stats'; stats: EndpointStats }
  | { event: 'playback.finished'; playbackId: PlaybackId; reason: 'done' | 'stopped' | 'error'; error?: string }
  | { event: 'log'; level: 'warn' | 'error'; msg: string; data?: Record<string, unknown> };

export type WorkerMessage = Response | WorkerEvent;

export function isResponse(m: WorkerMessage): m is Response {
  return (m as Response).id !== undefined && (m as Response).ok !== undefined;
}

/** Configuration a worker receives in `workerData`. */
export interface WorkerInit {
  worker: number;
  /** Tick period, ms (default 20). */
  tickMs: number;
  /** Common epoch (performance.timeOrigin-based ms) so every worker's tick k starts at the same instant. */
  epochMs: number;
  /** How long after its tick a spanning room waits for the other workers' contributions, ms. */
  spanWaitMs: number;
  /** Emit endpoint.stats events this often, ms (0: never). */
  statsIntervalMs: number;
  /** RTCP minimum report interval, ms (RFC 3550 §6.2: 5000; tests use less). */
  rtcpIntervalMs?: number;
}
