/**
 * Everything one media worker owns: endpoints (sockets), relays, room shares, players and
 * the one tick loop that drives them all. `handle` answers the requests of
 * channel/protocol.ts; events go out through `emit`. No audio leaves this object except
 * through its sockets and the rooms' span buffers.
 */
import type { EndpointStats, Request, ResultMap, WorkerInit, WorkerMessage, WorkerStats } from '../channel/protocol.js';
import { TickLoop, monotonicMs } from '../clock/tick-loop.js';
import { Endpoint, type EndpointOptions } from '../endpoint/endpoint.js';
import { rtcpNowMs } from '../endpoint/endpoint-rtcp.js';
import { SoftLimiter } from '../mix/soft-limiter.js';
import { MUSIC_RATE, MusicChannel } from '../play/music-channel.js';
import { PromptCursor } from '../play/prompt-cursor.js';
import { PromptLibrary } from '../play/prompt-file.js';
import { Relay } from '../relay/relay.js';
import { Room, type RoomContext } from '../room/room.js';
import { RoomSpan } from '../span/room-span.js';
import type { RtpPacketView } from '../../rtp/packet.js';
import { DtmfHub } from './dtmf-hub.js';
import { EndpointPlayer } from './endpoint-player.js';
import { roomTone } from './room-tones.js';
import { threadCpuMs } from './thread-cpu.js';

/** RTCP timers are checked every 10 ticks (200 ms): reports are ~5 s apart (RFC 3550 §6.2). */
const RTCP_POLL_TICKS = 10;

type Handler<T extends Request['type']> = (req: Extract<Request, { type: T }>) => ResultMap[T] | Promise<ResultMap[T]>;

export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class MediaWorker {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly relays = new Map<string, Relay>(); // by each leg's endpoint id
  private readonly rooms = new Map<string, Room>();
  private readonly roomOf = new Map<string, Room>();
  private readonly players = new Map<string, EndpointPlayer>();
  /** Per endpoint, bumped by every moh.start/moh.stop so a stale load is dropped. */
  private readonly musicGeneration = new Map<string, number>();
  private readonly dtmf: DtmfHub;
  private readonly music = new Map<string, MusicChannel>();
  private readonly prompts = new PromptLibrary();
  private readonly limiter = new SoftLimiter();
  private readonly loop: TickLoop;
  private readonly spanning: Room[] = [];
  private twoPhase = false;
  private spanLate = 0;
  private readonly roomCtx: RoomContext;
  private readonly endpointOpts: EndpointOptions;

  constructor(
    private readonly init: WorkerInit,
    private readonly emit: (m: WorkerMessage) => void,
  ) {
    this.loop = new TickLoop(this.onTick, { epochMs: init.epochMs, periodMs: init.tickMs });
    this.dtmf = new DtmfHub(init.tickMs, (e) => this.emit(e));
    this.endpointOpts = { silentBelowDbov: -50, jitterMinDelayMs: 20, rtcpMinIntervalMs: init.rtcpIntervalMs ?? 5000 };
    this.roomCtx = {
      worker: init.worker,
      limiter: this.limiter,
      emit: (e) => this.emit(e),
      music: (file) => this.music.get(file),
      spanLate: () => this.spanLate++,
    };
    this.loop.start();
  }

  async handle(req: Request): Promise<unknown> {
    const h = (this.handlers as Record<string, Handler<Request['type']>>)[req.type];
    if (!h) throw new RequestError('unknown', `unknown request ${req.type}`);
    return h(req);
  }

  stop(): void {
    this.loop.stop();
    for (const ep of this.endpoints.values()) ep.close();
  }

  private readonly handlers: { [T in Request['type']]: Handler<T> } = {
    'endpoint.create': async (r) => {
      if (this.endpoints.has(r.config.endpointId)) throw new RequestError('exists', `endpoint ${r.config.endpointId} exists`);
      const ep = await Endpoint.open(r.config, this.endpointOpts);
      this.endpoints.set(ep.id, ep);
      ep.onTelephoneEvent = this.onDigitPacket(ep);
      ep.onArrival = this.ioCheck;
      return { localPort: ep.localPort };
    },
    'endpoint.update': async (r) => {
      const { id: _id, type: _type, endpointId, ...change } = r;
      await this.endpoint(endpointId).update(change);
      return null;
    },
    'endpoint.destroy': (r) => {
      const ep = this.endpoints.get(r.endpointId);
      if (!ep) return null;
      this.detach(ep);
      this.endpoints.delete(ep.id);
      this.musicGeneration.delete(ep.id);
      const stats = ep.stats();
      ep.close();
      return stats;
    },
    'endpoint.mute': (r) => {
      this.endpoint(r.endpointId).muted = r.muted;
      return null;
    },
    'endpoint.deafen': (r) => {
      this.endpoint(r.endpointId).deafened = r.deafened;
      return null;
    },
    'endpoint.stats': (r) => this.endpoint(r.endpointId).stats(),
    'dtmf.send': (r) => {
      const ep = this.endpoint(r.endpointId);
      if (ep.telephoneEventPt === undefined) throw new RequestError('no-telephone-event', `${ep.id} negotiated no telephone-event`);
      this.dtmf.send(ep, r.digits, r.durationMs);
      return null;
    },
    'relay.connect': (r) => {
      const a = this.endpoint(r.a);
      const b = this.endpoint(r.b);
      for (const ep of [a, b]) if (this.relays.has(ep.id) || this.roomOf.has(ep.id)) throw new RequestError('busy', `${ep.id} is already relayed or in a room`);
      const relay = new Relay(a, b, (ep) => !(this.players.get(ep.id)?.idle ?? true), (ep, msg, v, now) => this.dtmf.received(ep, msg, v, now));
      this.relays.set(a.id, relay);
      this.relays.set(b.id, relay);
      return { mode: relay.mode };
    },
    'relay.disconnect': (r) => {
      this.unrelay(r.endpointId);
      return null;
    },
    'room.create': (r) => {
      if (this.rooms.has(r.config.roomId)) return null;
      const span = new RoomSpan(r.span.buffer, r.span.maxWorkers, r.span.maxTalkers);
      this.rooms.set(r.config.roomId, new Room(r.config, span, this.roomCtx));
      if (r.config.musicFile) void this.loadMusic(r.config.musicFile).catch((err: Error) => this.warn('music file failed to load', { file: r.config.musicFile, error: err.message }));
      return null;
    },
    'room.destroy': (r) => {
      const room = this.rooms.get(r.roomId);
      if (!room) return null;
      for (const [epId, rm] of this.roomOf) if (rm === room) this.roomOf.delete(epId);
      this.rooms.delete(r.roomId);
      return null;
    },
    'room.add': async (r) => {
      const room = this.room(r.roomId);
      const ep = this.endpoint(r.endpointId);
      if (this.roomOf.has(ep.id) || this.relays.has(ep.id)) throw new RequestError('busy', `${ep.id} is already in a room or relayed`);
      ep.muted = r.options.muted ?? false;
      ep.deafened = r.options.deafened ?? false;
      const greeting = r.options.greetingFile ? await this.prompts.load(r.options.greetingFile, room.roomRate) : undefined;
      room.add(ep, r.participant, r.options.owner ?? false, greeting);
      this.roomOf.set(ep.id, room);
      this.players.delete(ep.id);
      this.playTone(room, 'join');
      return null;
    },
    'room.remove': (r) => {
      const room = this.room(r.roomId);
      if (room.remove(r.endpointId)) {
        this.roomOf.delete(r.endpointId);
        this.playTone(room, 'leave');
      }
      return null;
    },
    'room.tone': (r) => {
      this.playTone(this.room(r.roomId), r.tone);
      return null;
    },
    'play.start': async (r) => {
      if ('roomId' in r.target) {
        const room = this.room(r.target.roomId);
        const pcm = await this.prompts.load(r.file, room.roomRate);
        room.playToAll(pcm, r.loop, r.playbackId);
        return { durationMs: (pcm.length / room.roomRate) * 1000 };
      }
      const ep = this.endpoint(r.target.endpointId);
      const room = this.roomOf.get(ep.id);
      if (room) {
        const pcm = await this.prompts.load(r.file, room.roomRate);
        room.playTo(ep.id, pcm);
        return { durationMs: (pcm.length / room.roomRate) * 1000 };
      }
      const rate = ep.sendCodec.sampleRate;
      const pcm = await this.prompts.load(r.file, rate);
      this.player(ep).prompt = new PromptCursor(pcm, r.loop, r.playbackId);
      return { durationMs: (pcm.length / rate) * 1000 };
    },
    'play.stop': (r) => {
      for (const room of this.rooms.values()) if (room.stopPlayback(r.playbackId)) return null;
      for (const pl of this.players.values()) {
        if (pl.prompt?.playbackId === r.playbackId) {
          pl.prompt = undefined;
          this.emit({ event: 'playback.finished', playbackId: r.playbackId, reason: 'stopped' });
        }
      }
      return null;
    },
    'moh.start': async (r) => {
      const ep = this.endpoint(r.endpointId);
      if (this.roomOf.has(ep.id)) throw new RequestError('busy', `${ep.id} is in a room; the room decides what it hears`);
      // The file loads asynchronously: a moh.stop (or a newer moh.start) handled meanwhile
      // wins, and the player is looked up only after the load, because a tick drops idle
      // players and music set on a dropped one would never be heard.
      const generation = this.bumpMusicGeneration(ep.id);
      const music = await this.loadMusic(r.file);
      if (this.musicGeneration.get(ep.id) !== generation || !this.endpoints.has(ep.id) || this.roomOf.has(ep.id)) return null;
      this.player(ep).music = music;
      return null;
    },
    'moh.stop': (r) => {
      this.bumpMusicGeneration(r.endpointId);
      const pl = this.players.get(r.endpointId);
      if (pl) pl.music = undefined;
      return null;
    },
    'worker.stats': () => this.stats(),
    'worker.crash': () => {
      setImmediate(() => process.exit(70));
      return null;
    },
  };

  private readonly ioCheck = (nowMs: number): void => this.loop.ioCheck(nowMs);

  stats(): WorkerStats {
    const s = this.loop.schedule;
    return {
      worker: this.init.worker,
      ticks: s.ticks,
      lateTicks: s.lateTicks,
      caughtUp: s.caughtUp,
      maxLateMs: s.maxLateMs,
      lateness: [...s.lateness],
      busyMs: this.loop.busyMs,
      endpoints: this.endpoints.size,
      rooms: this.rooms.size,
      threadCpuMs: threadCpuMs(),
      spanLate: this.spanLate,
      ioTicks: this.loop.ioTicks,
      atMs: monotonicMs(),
    };
  }

  private readonly onTick = (tick: number, phase: number): void => {
    if (phase === 1) {
      for (const room of this.spanning) room.complete(tick);
      this.spanning.length = 0;
      return;
    }
    for (const room of this.rooms.values()) if (room.size > 0 && room.gather(tick)) this.spanning.push(room);
    for (const [id, pl] of this.players) {
      const done = pl.tick(tick);
      if (done?.playbackId) this.emit({ event: 'playback.finished', playbackId: done.playbackId, reason: 'done' });
      if (pl.idle) this.players.delete(id);
    }
    this.dtmf.tick(performance.now(), this.endpointOrUndefined);
    if (tick % RTCP_POLL_TICKS === 0) this.rtcpTick();
    if (tick % 50 === 0) this.everySecond(tick);
    this.adjustPhases(tick);
  };

  /** Spanning rooms need a second phase; turn it on (or off) as rooms start (or stop) spanning. */
  private adjustPhases(tick: number): void {
    const need = this.spanning.length > 0;
    if (need && !this.twoPhase) {
      // This tick's phase 1 was not scheduled: complete now (remote contributions count late).
      for (const room of this.spanning) room.complete(tick);
      this.spanning.length = 0;
    }
    if (need !== this.twoPhase) {
      this.twoPhase = need;
      this.loop.schedule.setPhases(need ? [0, this.init.spanWaitMs] : [0]);
    }
  }

  /** RFC 3550 §6.2: each endpoint sends its report when its own randomized interval is up. */
  private rtcpTick(): void {
    const now = rtcpNowMs();
    for (const ep of this.endpoints.values()) ep.rtcp.poll(now);
  }

  private everySecond(tick: number): void {
    const now = performance.now();
    for (const ep of this.endpoints.values()) {
      const silentMs = ep.timeout.poll(now);
      if (silentMs !== undefined) this.emit({ event: 'media.timeout', endpointId: ep.id, silentMs: Math.round(silentMs) });
    }
    const every = this.init.statsIntervalMs;
    if (every > 0 && tick % Math.max(1, Math.round(every / this.init.tickMs)) === 0) {
      for (const ep of this.endpoints.values()) this.emit({ event: 'endpoint.stats', stats: ep.stats() as EndpointStats });
    }
  }

  /** RFC 4733 packets of an endpoint that is not relayed: digits go up to the main thread. */
  private onDigitPacket(ep: Endpoint): (msg: Buffer, v: RtpPacketView, now: number) => void {
    return (msg, v, now) => this.dtmf.received(ep, msg, v, now);
  }

  private readonly endpointOrUndefined = (id: string): Endpoint | undefined => this.endpoints.get(id);

  private playTone(room: Room, kind: 'join' | 'leave'): void {
    const file = kind === 'join' ? room.config.joinToneFile : room.config.leaveToneFile;
    if (file === null || room.waiting()) return;
    if (file === undefined) room.playToAll(roomTone(kind, room.roomRate), false);
    else void this.prompts.load(file, room.roomRate).then((pcm) => room.playToAll(pcm, false), () => undefined);
  }

  private async loadMusic(file: string): Promise<MusicChannel> {
    let m = this.music.get(file);
    if (!m) {
      m = new MusicChannel(await this.prompts.load(file, MUSIC_RATE));
      this.music.set(file, m);
    }
    return m;
  }

  private detach(ep: Endpoint): void {
    this.unrelay(ep.id);
    const room = this.roomOf.get(ep.id);
    if (room) {
      room.remove(ep.id);
      this.roomOf.delete(ep.id);
    }
    this.players.delete(ep.id);
    this.dtmf.forget(ep.id);
  }

  private unrelay(endpointId: string): void {
    const relay = this.relays.get(endpointId);
    if (!relay) return;
    relay.close();
    this.relays.delete(relay.a.id);
    this.relays.delete(relay.b.id);
    for (const ep of [relay.a, relay.b]) ep.onTelephoneEvent = this.onDigitPacket(ep);
  }

  private bumpMusicGeneration(endpointId: string): number {
    const next = (this.musicGeneration.get(endpointId) ?? 0) + 1;
    this.musicGeneration.set(endpointId, next);
    return next;
  }

  private player(ep: Endpoint): EndpointPlayer {
    let pl = this.players.get(ep.id);
    if (!pl) this.players.set(ep.id, (pl = new EndpointPlayer(ep)));
    return pl;
  }

  private endpoint(id: string): Endpoint {
    const ep = this.endpoints.get(id);
    if (!ep) throw new RequestError('no-endpoint', `no endpoint ${id} on worker ${this.init.worker}`);
    return ep;
  }

  private room(id: string): Room {
    const room = this.rooms.get(id);
    if (!room) throw new RequestError('no-room', `no room ${id} on worker ${this.init.worker}`);
    return room;
  }

  private warn(msg: string, data: Record<string, unknown>): void {
    this.emit({ event: 'log', level: 'warn', msg, data });
  }
}
