/**
 * The main thread's media engine: spawns the media workers (one per core by default),
 * places endpoints on them, and exposes every request of channel/protocol.ts as a typed
 * async method. Rooms may span workers: the engine gives each room a SharedArrayBuffer
 * (span/room-span.ts), creates the room's share on a worker when its first participant
 * there joins, and keeps the span header (hosts, room rate, owners) up to date.
 *
 * A worker that dies rejects its pending requests (WorkerGoneError), its endpoints and
 * room shares are forgotten and reported in one `worker.lost` event, and a fresh worker
 * takes its place; the rest of the switch carries on.
 */
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { codecByName } from '../../rtp/codec/registry.js';
import { monotonicMs } from '../clock/tick-loop.js';
import { RoomSpan } from '../span/room-span.js';
import { PortAllocator } from './port-allocator.js';
import type { EndpointConfig, EndpointId, EndpointStats, EndpointUpdate, JoinOptions, PayloadMapping, PlaybackId, PlaybackTarget, RoomConfig, RoomId, WorkerEvent, WorkerStats } from './protocol.js';
import { MediaRequestError, WorkerLink } from './worker-link.js';

export interface MediaEngineOptions {
  /** Media workers (default: one per core). */
  workers?: number;
  /** RTP port range (even ports are used), default 10000-20000. */
  rtpPorts?: { min: number; max: number };
  tickMs?: number;
  /** Phase-1 offset for rooms spanning workers, ms (default 5). */
  spanWaitMs?: number;
  /** Emit `endpoint.stats` this often, ms (default 0: only on request). */
  statsIntervalMs?: number;
  /** RTCP minimum interval between reports, ms (default 5000, RFC 3550 §6.2). */
  rtcpIntervalMs?: number;
  /** Most workers a room may span (sizes the span buffers; default: the worker count). */
  maxSpan?: number;
  /** Start a replacement when a worker dies (default true). */
  restartWorkers?: boolean;
  /** Worker entry script (tests substitute their own). */
  workerScript?: URL;
}

export type EngineEvent =
  | (WorkerEvent & { worker: number })
  | { event: 'worker.lost'; worker: number; exitCode: number; endpoints: EndpointId[]; rooms: RoomId[] }
  | { event: 'worker.restarted'; worker: number };

export interface CreateEndpointOptions extends Omit<EndpointConfig, 'localPort'> {
  /** A port of our own choosing (else one from the range). */
  localPort?: number;
  /** Put it on this worker. */
  worker?: number;
  /** Put it on the same worker as this endpoint (the other leg of a relay). */
  colocateWith?: EndpointId;
}

interface EndpointRecord {
  worker: number;
  port: number;
  wideband: boolean;
  room?: RoomId;
  owner?: boolean;
}

interface RoomRecord {
  config: RoomConfig;
  span: RoomSpan;
  members: Map<EndpointId, EndpointRecord>;
  hosts: Map<number, number>; // worker -> members there
  /** The room.create request of each hosting worker (awaited by every join there). */
  created: Map<number, Promise<null>>;
  nextParticipant: number;
}

const BIND_ATTEMPTS = 8;

/** Typed events: `engine.on('event', (e: EngineEvent) => ...)`. */
export interface MediaEngine {
  on(name: 'event', listener: (e: EngineEvent) => void): this;
  off(name: 'event', listener: (e: EngineEvent) => void): this;
  once(name: 'event', listener: (e: EngineEvent) => void): this;
}

export class MediaEngine extends EventEmitter {
  private readonly links: WorkerLink[] = [];
  private readonly endpoints = new Map<EndpointId, EndpointRecord>();
  private readonly rooms = new Map<RoomId, RoomRecord>();
  private readonly ports: PortAllocator;
  private readonly script: URL;
  private readonly epochMs = Math.floor(monotonicMs());
  private nextPlayback = 1;
  private closing = false;

  private constructor(private readonly opts: Required<Omit<MediaEngineOptions, 'workerScript' | 'rtpPorts'>> & MediaEngineOptions) {
    super();
    const range = opts.rtpPorts ?? { min: 10000, max: 20000 };
    this.ports = new PortAllocator(range.min, range.max);
    this.script = opts.workerScript ?? new URL('../worker/worker-main.js', import.meta.url);
  }

  static async start(options: MediaEngineOptions = {}): Promise<MediaEngine> {
    const workers = options.workers ?? availableParallelism();
    const engine = new MediaEngine({
      ...options,
      workers,
      tickMs: options.tickMs ?? 20,
      spanWaitMs: options.spanWaitMs ?? 5,
      statsIntervalMs: options.statsIntervalMs ?? 0,
      rtcpIntervalMs: options.rtcpIntervalMs ?? 5000,
      maxSpan: options.maxSpan ?? workers,
      restartWorkers: options.restartWorkers ?? true,
    });
    for (let i = 0; i < workers; i++) engine.spawn(i);
    await Promise.all(engine.links.map((l) => l.ready));
    return engine;
  }

  get workerCount(): number {
    return this.links.length;
  }

  /** The worker an endpoint lives on. */
  workerOf(endpointId: EndpointId): number | undefined {
    return this.endpoints.get(endpointId)?.worker;
  }

  // ------------------------------------------------------------------ endpoints

  async createEndpoint(o: CreateEndpointOptions): Promise<{ localPort: number; worker: number }> {
    if (this.endpoints.has(o.endpointId)) throw new Error(`endpoint ${o.endpointId} exists`);
    const worker = o.worker ?? (o.colocateWith !== undefined ? this.endpoints.get(o.colocateWith)?.worker : undefined) ?? this.leastLoaded();
    const link = this.link(worker);
    const { worker: _w, colocateWith: _c, ...rest } = o;
    for (let attempt = 0; ; attempt++) {
      const port = o.localPort ?? this.ports.allocate();
      if (o.localPort !== undefined) this.ports.reserve(port);
      const config: EndpointConfig = { ...rest, localPort: port };
      const rec: EndpointRecord = { worker, port, wideband: isWideband(o.payloads) };
      this.endpoints.set(o.endpointId, rec); // placed now, so concurrent creates spread
      try {
        await link.request({ type: 'endpoint.create', config });
        return { localPort: port, worker };
      } catch (err) {
        this.endpoints.delete(o.endpointId);
        this.ports.release(port);
        const inUse = err instanceof MediaRequestError && /EADDRINUSE/.test(err.message);
        if (!inUse || o.localPort !== undefined || attempt + 1 >= BIND_ATTEMPTS) throw err;
      }
    }
  }

  /** A re-INVITE or answer changed the endpoint, or the call went on / came off hold. */
  updateEndpoint(endpointId: EndpointId, change: EndpointUpdate): Promise<null> {
    const rec = this.record(endpointId);
    if (change.payloads) rec.wideband = isWideband(change.payloads);
    if (rec.room) this.updateRoomRate(this.rooms.get(rec.room)!);
    return this.link(rec.worker).request({ type: 'endpoint.update', endpointId, ...change });
  }

  async destroyEndpoint(endpointId: EndpointId): Promise<EndpointStats | null> {
    const rec = this.endpoints.get(endpointId);
    if (!rec) return null;
    if (rec.room) await this.removeFromRoom(rec.room, endpointId);
    this.endpoints.delete(endpointId);
    this.ports.release(rec.port);
    return this.link(rec.worker).request({ type: 'endpoint.destroy', endpointId });
  }

  mute(endpointId: EndpointId, muted: boolean): Promise<null> {
    return this.to(endpointId).request({ type: 'endpoint.mute', endpointId, muted });
  }

  deafen(endpointId: EndpointId, deafened: boolean): Promise<null> {
    return this.to(endpointId).request({ type: 'endpoint.deafen', endpointId, deafened });
  }

  endpointStats(endpointId: EndpointId): Promise<EndpointStats> {
    return this.to(endpointId).request({ type: 'endpoint.stats', endpointId });
  }

  sendDtmf(endpointId: EndpointId, digits: string, durationMs?: number): Promise<null> {
    return this.to(endpointId).request({ type: 'dtmf.send', endpointId, digits, durationMs });
  }

  // ------------------------------------------------------------------ relays

  relay(a: EndpointId, b: EndpointId): Promise<{ mode: 'passthrough' | 'transcode' }> {
    const wa = this.record(a).worker;
    if (this.record(b).worker !== wa) throw new Error(`relay legs ${a} and ${b} are on different workers: create the second with colocateWith`);
    return this.link(wa).request({ type: 'relay.connect', a, b });
  }

  unrelay(endpointId: EndpointId): Promise<null> {
    return this.to(endpointId).request({ type: 'relay.disconnect', endpointId });
  }

  // ------------------------------------------------------------------ rooms

  createRoom(config: RoomConfig): void {
    if (this.rooms.has(config.roomId)) throw new Error(`room ${config.roomId} exists`);
    const span = RoomSpan.create(this.opts.maxSpan, config.maxTalkers ?? 3, 8000);
    this.rooms.set(config.roomId, { config, span, members: new Map(), hosts: new Map(), created: new Map(), nextParticipant: 1 });
  }

  async destroyRoom(roomId: RoomId): Promise<void> {
    const room = this.rooms.get(roomId);
    if (!room) return;
    for (const ep of [...room.members.keys()]) await this.removeFromRoom(roomId, ep).catch(() => undefined);
    this.rooms.delete(roomId);
  }

  async addToRoom(roomId: RoomId, endpointId: EndpointId, options: JoinOptions = {}): Promise<void> {
    const room = this.roomRecord(roomId);
    const rec = this.record(endpointId);
    if (rec.room) throw new Error(`${endpointId} is already in room ${rec.room}`);
    const w = rec.worker;
    if (!room.hosts.has(w)) {
      // Counted at once, so concurrent joins on the same worker create its share only once.
      room.hosts.set(w, 0);
      room.span.setHost(w, true);
      room.created.set(w, this.link(w).request({ type: 'room.create', config: room.config, span: { buffer: room.span.buffer, maxWorkers: room.span.maxWorkers, maxTalkers: room.span.maxTalkers } }));
    }
    room.hosts.set(w, room.hosts.get(w)! + 1);
    rec.room = roomId; // claimed before the first await: a second join of the same endpoint fails
    try {
      await room.created.get(w);
    } catch (err) {
      room.hosts.set(w, room.hosts.get(w)! - 1);
      rec.room = undefined;
      throw err;
    }
    room.members.set(endpointId, rec);
    rec.owner = options.owner ?? false;
    this.updateRoomRate(room);
    try {
      await this.link(w).request({ type: 'room.add', roomId, endpointId, participant: room.nextParticipant++, options });
    } catch (err) {
      this.forgetMember(room, endpointId, rec);
      throw err;
    }
    if (rec.owner) room.span.addOwners(1);
    for (const other of room.hosts.keys()) if (other !== w) void this.link(other).request({ type: 'room.tone', roomId, tone: 'join' }).catch(() => undefined);
  }

  async removeFromRoom(roomId: RoomId, endpointId: EndpointId): Promise<void> {
    const room = this.roomRecord(roomId);
    const rec = room.members.get(endpointId);
    if (!rec) return;
    const w = rec.worker;
    const emptied = this.forgetMember(room, endpointId, rec);
    await this.link(w).request({ type: 'room.remove', roomId, endpointId });
    for (const other of room.hosts.keys()) if (other !== w) void this.link(other).request({ type: 'room.tone', roomId, tone: 'leave' }).catch(() => undefined);
    if (emptied && !room.hosts.has(w)) await this.link(w).request({ type: 'room.destroy', roomId }); // unless someone joined there meanwhile
  }

  /** Who is in a room, and on which worker. */
  roomMembers(roomId: RoomId): { endpointId: EndpointId; worker: number }[] {
    return [...this.roomRecord(roomId).members].map(([endpointId, r]) => ({ endpointId, worker: r.worker }));
  }

  // ------------------------------------------------------------------ prompts and music

  async play(target: PlaybackTarget, file: string, opts: { loop?: boolean } = {}): Promise<{ playbackId: PlaybackId; durationMs: number }> {
    const playbackId = `pb-${this.nextPlayback++}`;
    const loop = opts.loop ?? false;
    if ('roomId' in target) {
      const room = this.roomRecord(target.roomId);
      if (room.hosts.size === 0) throw new Error(`room ${target.roomId} has no participants to play to`);
      const results = await Promise.all([...room.hosts.keys()].map((w) => this.link(w).request({ type: 'play.start', playbackId, target, file, loop })));
      return { playbackId, durationMs: results[0]?.durationMs ?? 0 };
    }
    const r = await this.to(target.endpointId).request({ type: 'play.start', playbackId, target, file, loop });
    return { playbackId, durationMs: r.durationMs };
  }

  async stopPlayback(playbackId: PlaybackId): Promise<void> {
    await Promise.all(this.links.filter((l) => l.alive).map((l) => l.request({ type: 'play.stop', playbackId })));
  }

  startMusicOnHold(endpointId: EndpointId, file: string): Promise<null> {
    return this.to(endpointId).request({ type: 'moh.start', endpointId, file });
  }

  stopMusicOnHold(endpointId: EndpointId): Promise<null> {
    return this.to(endpointId).request({ type: 'moh.stop', endpointId });
  }

  // ------------------------------------------------------------------ workers

  workerStats(): Promise<WorkerStats[]> {
    return Promise.all(this.links.filter((l) => l.alive).map((l) => l.request({ type: 'worker.stats' })));
  }

  /** Test hook: make worker `index` exit as if it crashed. */
  crashWorker(index: number): Promise<null> {
    return this.link(index).request({ type: 'worker.crash' });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.links.map((l) => l.terminate()));
  }

  // ------------------------------------------------------------------ internals

  private spawn(index: number): WorkerLink {
    const link = new WorkerLink(
      this.script,
      { worker: index, tickMs: this.opts.tickMs, epochMs: this.epochMs, spanWaitMs: this.opts.spanWaitMs, statsIntervalMs: this.opts.statsIntervalMs, rtcpIntervalMs: this.opts.rtcpIntervalMs },
      (e, l) => this.emit('event', { ...e, worker: l.index } as EngineEvent),
      (code, l) => this.lost(code, l),
    );
    this.links[index] = link;
    return link;
  }

  private lost(exitCode: number, link: WorkerLink): void {
    if (this.closing) return;
    const w = link.index;
    const endpoints: EndpointId[] = [];
    for (const [id, rec] of this.endpoints) {
      if (rec.worker !== w) continue;
      endpoints.push(id);
      this.endpoints.delete(id);
      this.ports.release(rec.port);
    }
    const rooms: RoomId[] = [];
    for (const [roomId, room] of this.rooms) {
      if (!room.hosts.has(w)) continue;
      rooms.push(roomId);
      for (const [ep, rec] of room.members) if (rec.worker === w) this.forgetMember(room, ep, rec);
      room.hosts.delete(w);
      room.created.delete(w);
      room.span.setHost(w, false);
    }
    this.emit('event', { event: 'worker.lost', worker: w, exitCode, endpoints, rooms } satisfies EngineEvent);
    if (!this.opts.restartWorkers) return;
    const fresh = this.spawn(w);
    fresh.ready.then(
      () => this.emit('event', { event: 'worker.restarted', worker: w } satisfies EngineEvent),
      () => undefined,
    );
  }

  /** Drop a member from the engine's view of a room; true when its worker's share emptied. */
  private forgetMember(room: RoomRecord, endpointId: EndpointId, rec: EndpointRecord): boolean {
    room.members.delete(endpointId);
    rec.room = undefined;
    if (rec.owner) room.span.addOwners(-1);
    rec.owner = false;
    const left = (room.hosts.get(rec.worker) ?? 1) - 1;
    this.updateRoomRate(room);
    if (left > 0) {
      room.hosts.set(rec.worker, left);
      return false;
    }
    room.hosts.delete(rec.worker);
    room.created.delete(rec.worker);
    room.span.setHost(rec.worker, false);
    return true;
  }

  /** 16 kHz while a wideband participant is in the room, else 8 kHz. */
  private updateRoomRate(room: RoomRecord): void {
    let wide = false;
    for (const m of room.members.values()) if (m.wideband) wide = true;
    room.span.setRate(wide ? 16000 : 8000);
  }

  private leastLoaded(): number {
    const load = this.links.map(() => 0);
    for (const rec of this.endpoints.values()) load[rec.worker]!++;
    let best = 0;
    for (let i = 1; i < load.length; i++) if (this.links[i]!.alive && (load[i]! < load[best]! || !this.links[best]!.alive)) best = i;
    return best;
  }

  private link(index: number): WorkerLink {
    const l = this.links[index];
    if (!l) throw new Error(`no media worker ${index}`);
    return l;
  }

  private to(endpointId: EndpointId): WorkerLink {
    return this.link(this.record(endpointId).worker);
  }

  private record(endpointId: EndpointId): EndpointRecord {
    const rec = this.endpoints.get(endpointId);
    if (!rec) throw new Error(`no endpoint ${endpointId}`);
    return rec;
  }

  private roomRecord(roomId: RoomId): RoomRecord {
    const room = this.rooms.get(roomId);
    if (!room) throw new Error(`no room ${roomId}`);
    return room;
  }
}

function isWideband(payloads: PayloadMapping[]): boolean {
  const first = payloads[0];
  return first !== undefined && codecByName(first.codec).sampleRate > 8000;
}
