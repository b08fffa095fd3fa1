/**
 * A conference room's share on this worker: its participants here, talker selection, the
 * mix, and the output to every participant, once per tick.
 *
 * Per tick: every participant's frame is pulled from its jitter buffer and decoded unless
 * silent (inbound-audio.ts); the TalkerSelector picks the N loudest (with hangover); when
 * the room spans workers the local candidates are published and the global choice made in
 * phase 1 (span/room-span.ts); `mixOnce` sums the chosen talkers and room-wide sources
 * (tones, prompts) and produces each local talker's minus-self mix; then:
 *   - a non-talker gets the shared mix, encoded once per codec (SharedEncoding);
 *   - a talker gets its minus-self mix, encoded with its own encoder;
 *   - a participant with a greeting playing gets its mix with the greeting on top;
 *   - a deafened participant gets the shared silence; muted ones are never mixed;
 *   - while the room waits for its owner, everyone gets the shared music instead.
 */
import type { PlaybackId, RoomConfig, WorkerEvent } from '../channel/protocol.js';
import type { Endpoint } from '../endpoint/endpoint.js';
import { createMixBuffers, mixOnce, type MixBuffers } from '../mix/mix-once.js';
import type { SoftLimiter } from '../mix/soft-limiter.js';
import { TalkerSelector, pickLoudest } from '../mix/talker-selector.js';
import type { MusicChannel } from '../play/music-channel.js';
import { PromptCursor } from '../play/prompt-cursor.js';
import type { RoomSpan } from '../span/room-span.js';
import { SPAN_FRAME } from '../span/room-span.js';
import { Participant } from './participant.js';
import { SharedEncoding } from './shared-encoding.js';

export interface RoomContext {
  readonly worker: number;
  readonly limiter: SoftLimiter;
  emit(e: WorkerEvent): void;
  music(file: string): MusicChannel | undefined;
  /** Counts a span contribution that missed its tick. */
  spanLate(): void;
}

const MAX_EXTRAS = 4;

export class Room {
  readonly id: string;
  private readonly participants: Participant[] = [];
  private readonly bySlot: (Participant | undefined)[] = [];
  private readonly byEndpoint = new Map<string, Participant>();
  private readonly freeSlots: number[] = [];
  private readonly selector: TalkerSelector;
  private rate: number;
  private samples: number;
  private mixBuf: MixBuffers;
  private readonly mixStream: SharedEncoding;
  private readonly silenceStream: SharedEncoding;
  private silence: Int16Array;
  private readonly extras: PromptCursor[] = [];
  private extraFrames: Int16Array[] = [];
  // Talker bookkeeping for one tick (sized for local + remote candidates).
  private readonly localChosen: Int32Array;
  private readonly globalLocal: Int32Array;
  private readonly candIds: Int32Array;
  private readonly candScores: Float64Array;
  private candFrames: Int16Array[] = [];
  private readonly chosen: Int32Array;
  private readonly chosenScores: Float64Array;
  private readonly talkerFrames: Int16Array[] = [];
  private readonly talkerOf: (Participant | undefined)[] = [];
  private localCount = 0;
  private readonly frameScratch: { talkers: Int16Array[]; talkerCount: number; extras: Int16Array[]; extraCount: number; samples: number };

  constructor(
    readonly config: RoomConfig,
    readonly span: RoomSpan,
    private readonly ctx: RoomContext,
  ) {
    this.id = config.roomId;
    const n = config.maxTalkers ?? 3;
    this.selector = new TalkerSelector({ maxTalkers: n, hangoverTicks: Math.round((config.hangoverMs ?? 300) / 20) });
    this.selector.onTalking = (slot, talking) => {
      const p = this.bySlot[slot];
      if (p) ctx.emit({ event: 'talking', endpointId: p.endpoint.id, roomId: this.id, talking });
    };
    this.rate = span.rate || 8000;
    this.samples = this.rate / 50;
    this.mixBuf = createMixBuffers(n, this.samples);
    this.mixStream = new SharedEncoding(this.rate);
    this.silenceStream = new SharedEncoding(this.rate);
    this.silence = new Int16Array(this.samples);
    const maxCand = n * span.maxWorkers;
    this.localChosen = new Int32Array(n);
    this.globalLocal = new Int32Array(n);
    this.candIds = new Int32Array(maxCand);
    this.candScores = new Float64Array(maxCand);
    this.chosen = new Int32Array(n);
    this.chosenScores = new Float64Array(n);
    for (let i = 0; i < maxCand; i++) this.candFrames.push(new Int16Array(SPAN_FRAME));
    for (let i = 0; i < MAX_EXTRAS; i++) this.extraFrames.push(new Int16Array(SPAN_FRAME));
    this.frameScratch = { talkers: this.talkerFrames, talkerCount: 0, extras: [], extraCount: 0, samples: this.samples };
  }

  get size(): number {
    return this.participants.length;
  }

  has(endpointId: string): boolean {
    return this.byEndpoint.has(endpointId);
  }

  add(ep: Endpoint, globalId: number, owner: boolean, greeting: Int16Array | undefined): void {
    if (this.byEndpoint.has(ep.id)) throw new Error(`${ep.id} is already in room ${this.id}`);
    const slot = this.freeSlots.pop() ?? this.bySlot.length;
    const p = new Participant(ep, slot, globalId, owner, this.rate);
    if (greeting) p.greeting = new PromptCursor(greeting, false);
    this.bySlot[slot] = p;
    this.participants.push(p);
    this.byEndpoint.set(ep.id, p);
  }

  remove(endpointId: string): boolean {
    const p = this.byEndpoint.get(endpointId);
    if (!p) return false;
    this.byEndpoint.delete(endpointId);
    this.participants.splice(this.participants.indexOf(p), 1);
    this.bySlot[p.slot] = undefined;
    this.freeSlots.push(p.slot);
    this.selector.remove(p.slot);
    return true;
  }

  /** Play PCM (at the room rate) to everyone in the room, on top of the mix. */
  playToAll(pcm: Int16Array, loop: boolean, playbackId?: PlaybackId): void {
    if (this.extras.length >= MAX_EXTRAS) this.finishExtra(0, 'stopped');
    this.extras.push(new PromptCursor(pcm, loop, playbackId));
  }

  stopPlayback(playbackId: PlaybackId): boolean {
    const i = this.extras.findIndex((c) => c.playbackId === playbackId);
    if (i < 0) return false;
    this.finishExtra(i, 'stopped');
    return true;
  }

  /** Play PCM (at the room rate) to one participant only, over what it hears. */
  playTo(endpointId: string, pcm: Int16Array): boolean {
    const p = this.byEndpoint.get(endpointId);
    if (!p) return false;
    p.greeting = new PromptCursor(pcm, false);
    return true;
  }

  get roomRate(): number {
    return this.rate;
  }

  /** Phase 0 of tick `tick`. Returns true when the room needs phase 1 (it spans workers). */
  gather(tick: number): boolean {
    this.followRate();
    const sel = this.selector;
    const ps = this.participants;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      sel.update(p.slot, p.gather());
    }
    this.localCount = sel.select(this.localChosen);
    if (!this.span.spansBeyond(this.ctx.worker)) {
      this.finish(tick, false);
      return false;
    }
    this.publishCandidates(tick);
    return true;
  }

  /** Phase 1 of a spanning room: take the other workers' candidates, then mix and send. */
  complete(tick: number): void {
    this.finish(tick, true);
  }

  /** Publish the local candidates that have audio this tick (the same set chooseGlobal uses here). */
  private publishCandidates(tick: number): void {
    let n = 0;
    for (let t = 0; t < this.localCount; t++) {
      const p = this.bySlot[this.localChosen[t]!]!;
      if (!p.hasFrame) continue;
      this.candIds[n] = p.globalId;
      this.candScores[n] = this.selector.score(p.slot);
      this.talkerFrames[n] = p.frame;
      n++;
    }
    this.span.publish(this.ctx.worker, tick, n, this.candIds, this.candScores, this.talkerFrames, this.samples);
  }

  private finish(tick: number, spanning: boolean): void {
    const talkers = spanning ? this.chooseGlobal(tick) : this.chooseLocal();
    const f = this.frameScratch;
    f.samples = this.samples;
    f.extras = this.extraFrames;
    f.extraCount = this.fillExtras();
    this.silenceStream.begin(tick, this.silence, this.samples);
    if (!this.waiting()) {
      f.talkerCount = talkers;
      mixOnce(f, this.mixBuf, this.ctx.limiter);
      this.mixStream.begin(tick, this.mixBuf.mix, this.samples);
      this.send(talkers, undefined);
      return;
    }
    // Waiting for the owner: nobody is mixed; everyone hears the music (encoded once per
    // codec at the music's rate), or music plus a room-wide prompt when one is playing.
    const music = this.waitingMusic(tick);
    let stream = music ? music.stream : this.silenceStream;
    if (f.extraCount > 0) {
      f.talkerCount = music ? 1 : 0;
      this.talkerFrames[0] = music ? music.stream.pcmAt(this.rate) : this.silence;
      mixOnce(f, this.mixBuf, this.ctx.limiter);
      this.mixStream.begin(tick, this.mixBuf.mix, this.samples);
      stream = this.mixStream;
    }
    this.send(0, stream);
  }

  /** Local room: the chosen slots that have audio this tick are the talkers. */
  private chooseLocal(): number {
    let count = 0;
    for (let i = 0; i < this.participants.length; i++) this.participants[i]!.inMix = false;
    for (let t = 0; t < this.localCount; t++) {
      const p = this.bySlot[this.localChosen[t]!]!;
      p.inMix = true;
      if (!p.hasFrame) continue;
      this.talkerFrames[count] = p.frame;
      this.talkerOf[count] = p;
      count++;
    }
    return count;
  }

  /** Spanning room: the same deterministic global N loudest on every host. */
  private chooseGlobal(tick: number): number {
    let cand = 0;
    for (let t = 0; t < this.localCount; t++) {
      const p = this.bySlot[this.localChosen[t]!]!;
      if (!p.hasFrame) continue;
      this.candIds[cand] = p.globalId;
      this.candScores[cand] = this.selector.score(p.slot);
      this.candFrames[cand]!.set(p.frame);
      cand++;
    }
    const mask = this.span.hostMask;
    for (let w = 0; w < this.span.maxWorkers; w++) {
      if (w === this.ctx.worker || (mask & (1 << w)) === 0) continue;
      const got = this.span.read(w, tick, this.candIds, this.candScores, this.candFrames, cand, this.samples);
      if (got < 0) this.ctx.spanLate();
      else cand += got;
    }
    const n = pickLoudest(this.candIds, this.candScores, cand, this.selector.maxTalkers, this.chosen, this.chosenScores);
    for (let i = 0; i < this.participants.length; i++) this.participants[i]!.inMix = false;
    let count = 0;
    let localIn = 0;
    for (let t = 0; t < n; t++) {
      const id = this.chosen[t]!;
      const k = indexOf(this.candIds, cand, id);
      const local = this.findLocal(id);
      if (local) local.inMix = true;
      this.talkerFrames[count] = this.candFrames[k]!; // mixOnce reads only `samples` of it
      this.talkerOf[count] = local;
      if (local) this.globalLocal[localIn++] = local.slot;
      count++;
    }
    this.selector.setChosen(this.globalLocal, localIn); // incumbency follows the global choice
    return count;
  }

  private findLocal(globalId: number): Participant | undefined {
    for (let t = 0; t < this.localCount; t++) {
      const p = this.bySlot[this.localChosen[t]!]!;
      if (p.globalId === globalId) return p;
    }
    return undefined;
  }

  /** Send this tick's audio to every participant; `waitStream`: the room waits for its owner. */
  private send(talkers: number, waitStream: SharedEncoding | undefined): void {
    const ps = this.participants;
    const limiter = this.ctx.limiter;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      if (p.endpoint.deafened) {
        p.sendShared(this.silenceStream);
      } else if (waitStream) {
        if (p.greeting) p.sendPrivate(waitStream.pcmAt(this.rate), this.rate, limiter);
        else p.sendShared(waitStream);
      } else {
        // A chosen talker keeps its private stream (its own encoder) for as long as it is
        // chosen, even in a tick where it had no frame: stateful codecs (G.722, Opus) would
        // glitch at every switch between the shared encoder and its own.
        const t = p.inMix ? talkerIndex(this.talkerOf, talkers, p) : -1;
        if (t >= 0) p.sendPrivate(this.mixBuf.minusSelf[t]!, this.rate, limiter);
        else if (p.inMix || p.greeting) p.sendPrivate(this.mixBuf.mix, this.rate, limiter);
        else p.sendShared(this.mixStream);
      }
    }
  }

  /** Wait-for-owner: no owner in the room (on any worker), so no one is mixed. */
  waiting(): boolean {
    return this.config.waitForOwner === true && this.span.ownersPresent <= 0;
  }

  /** The music heard while waiting (undefined: none configured or not loaded yet: silence). */
  private waitingMusic(tick: number): MusicChannel | undefined {
    const m = this.config.musicFile ? this.ctx.music(this.config.musicFile) : undefined;
    m?.at(tick);
    return m;
  }

  private fillExtras(): number {
    let n = 0;
    for (let i = 0; i < this.extras.length; i++) {
      const c = this.extras[i]!;
      c.fill(this.extraFrames[n]!, this.samples);
      n++;
    }
    for (let i = this.extras.length - 1; i >= 0; i--) if (this.extras[i]!.done) this.finishExtra(i, 'done');
    return n;
  }

  private finishExtra(i: number, reason: 'done' | 'stopped'): void {
    const [c] = this.extras.splice(i, 1);
    if (c?.playbackId) this.ctx.emit({ event: 'playback.finished', playbackId: c.playbackId, reason });
  }

  /** The engine sets the room rate in the span header (16 kHz while a wideband participant is in). */
  private followRate(): void {
    const rate = this.span.rate || 8000;
    if (rate === this.rate) return;
    this.rate = rate;
    this.samples = rate / 50;
    this.mixBuf = createMixBuffers(this.selector.maxTalkers, this.samples);
    this.mixStream.setSourceRate(rate);
    this.silenceStream.setSourceRate(rate);
    this.silence = new Int16Array(this.samples);
    this.extraFrames = this.extraFrames.map(() => new Int16Array(SPAN_FRAME));
    for (const p of this.participants) p.setRoomRate(rate);
  }
}

function talkerIndex(talkerOf: (Participant | undefined)[], count: number, p: Participant): number {
  for (let t = 0; t < count; t++) if (talkerOf[t] === p) return t;
  return -1;
}

function indexOf(ids: Int32Array, count: number, id: number): number {
  for (let i = 0; i < count; i++) if (ids[i] === id) return i;
  return -1;
}
