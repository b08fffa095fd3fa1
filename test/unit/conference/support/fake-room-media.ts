/**
 * The fake media engine of the call tests (test/unit/calls/support/fake-media.ts) with what
 * the conference service uses besides: rooms (members, mute, deafen), prompts to an endpoint
 * (alone: finished only when the test says so, `finishPlayback`; in a room: no event, as the
 * real engine) and their stop.
 */
import { basename, dirname } from 'node:path';
import type { JoinOptions, PlaybackTarget, RoomConfig } from '../../../../src/mixer/channel/protocol.js';
import type { ConferenceMediaPort } from '../../../../src/app/conference/conference-media.js';
import { FakeMedia } from '../../calls/support/fake-media.js';

export interface FakeRoom {
  config: RoomConfig;
  members: string[];
}

export interface FakePlayback {
  id: string;
  endpointId: string;
  /** `<language>/<id>` of the prompt file. */
  prompt: string;
  inRoom: boolean;
}

/** Every prompt file lasts this long here. */
export const PROMPT_MS = 1000;

export class FakeRoomMedia extends FakeMedia implements ConferenceMediaPort {
  readonly rooms = new Map<string, FakeRoom>();
  readonly muted = new Set<string>();
  readonly deafened = new Set<string>();
  /** Prompts played alone, not finished yet. */
  readonly playing = new Map<string, FakePlayback>();
  /** Every prompt played, in order. */
  readonly played: FakePlayback[] = [];
  failJoin = false;
  /** While set, endpoint creations wait for `releaseCreates()` (a slow worker). */
  holdCreates = false;
  private held: Array<() => void> = [];
  private nextPlayback = 1;

  override createEndpoint(o: Parameters<FakeMedia['createEndpoint']>[0]) {
    if (!this.holdCreates) return super.createEndpoint(o);
    return new Promise<{ localPort: number; worker: number }>((resolve, reject) => this.held.push(() => super.createEndpoint(o).then(resolve, reject)));
  }

  releaseCreates(): void {
    this.holdCreates = false;
    for (const go of this.held.splice(0)) go();
  }

  createRoom(config: RoomConfig): void {
    this.log.push(`room.create ${config.roomId}`);
    if (this.rooms.has(config.roomId)) throw new Error(`room ${config.roomId} exists`);
    this.rooms.set(config.roomId, { config, members: [] });
  }

  destroyRoom(roomId: string): Promise<void> {
    this.log.push(`room.destroy ${roomId}`);
    this.rooms.delete(roomId);
    return Promise.resolve();
  }

  addToRoom(roomId: string, endpointId: string, options: JoinOptions = {}): Promise<void> {
    this.log.push(`room.add ${roomId} ${endpointId}${options.greetingFile ? ` greeting=${promptOf(options.greetingFile)}` : ''}`);
    const room = this.rooms.get(roomId);
    this.get(endpointId);
    if (!room) return Promise.reject(new Error(`no room ${roomId}`));
    if (this.failJoin) return Promise.reject(new Error('join failed'));
    room.members.push(endpointId);
    if (options.greetingFile) this.played.push({ id: 'greeting', endpointId, prompt: promptOf(options.greetingFile), inRoom: true });
    return Promise.resolve();
  }

  removeFromRoom(roomId: string, endpointId: string): Promise<void> {
    this.log.push(`room.remove ${roomId} ${endpointId}`);
    const room = this.rooms.get(roomId);
    if (room) room.members = room.members.filter((m) => m !== endpointId);
    return Promise.resolve();
  }

  override destroyEndpoint(id: string) {
    for (const room of this.rooms.values()) room.members = room.members.filter((m) => m !== id);
    for (const [pb, p] of this.playing) if (p.endpointId === id) this.playing.delete(pb);
    return super.destroyEndpoint(id);
  }

  mute(endpointId: string, muted: boolean): Promise<null> {
    this.log.push(`mute ${endpointId} ${muted}`);
    if (muted) this.muted.add(endpointId);
    else this.muted.delete(endpointId);
    return Promise.resolve(null);
  }

  deafen(endpointId: string, deafened: boolean): Promise<null> {
    this.log.push(`deafen ${endpointId} ${deafened}`);
    if (deafened) this.deafened.add(endpointId);
    else this.deafened.delete(endpointId);
    return Promise.resolve(null);
  }

  play(target: PlaybackTarget, file: string): Promise<{ playbackId: string; durationMs: number }> {
    if (!('endpointId' in target)) return Promise.reject(new Error('room-wide prompts are not used'));
    this.get(target.endpointId);
    const id = `pb-${this.nextPlayback++}`;
    const inRoom = [...this.rooms.values()].some((r) => r.members.includes(target.endpointId));
    const p: FakePlayback = { id, endpointId: target.endpointId, prompt: promptOf(file), inRoom };
    this.log.push(`play ${target.endpointId} ${p.prompt}`);
    this.played.push(p);
    if (!inRoom) this.playing.set(id, p);
    return Promise.resolve({ playbackId: id, durationMs: PROMPT_MS });
  }

  stopPlayback(playbackId: string): Promise<void> {
    this.log.push(`play.stop ${playbackId}`);
    if (this.playing.delete(playbackId)) this.raise({ event: 'playback.finished', playbackId, reason: 'stopped', worker: 0 });
    return Promise.resolve();
  }

  /** The prompt playing alone to `endpointId` ends (the engine's playback.finished). */
  finishPlayback(endpointId: string): boolean {
    for (const [id, p] of this.playing) {
      if (p.endpointId !== endpointId) continue;
      this.playing.delete(id);
      this.raise({ event: 'playback.finished', playbackId: id, reason: 'done', worker: 0 });
      return true;
    }
    return false;
  }

  /** Prompts played to `endpointId`, as `<language>/<id>`. */
  promptsTo(endpointId: string): string[] {
    return this.played.filter((p) => p.endpointId === endpointId).map((p) => p.prompt);
  }
}

function promptOf(file: string): string {
  return `${basename(dirname(file))}/${basename(file, '.wav')}`;
}
