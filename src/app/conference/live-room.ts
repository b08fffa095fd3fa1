/**
 * A conference room while people are in it: its participants in join order, whether it is
 * locked, and the engine room that mixes them. Created when the first caller joins (the
 * engine room with it) and destroyed when the last one leaves; a lock lasts as long as the
 * room does (decided: an empty room starts unlocked again).
 *
 * Each session of a room gets its own engine room id (`conf-<number>-<n>`), so a caller
 * joining while the previous session's engine room is still being torn down never meets it.
 */
import type { Logger } from '../../log/logger.js';
import type { CallerIdentity } from '../calls/caller-id.js';
import type { LiveParticipantView, LiveRoomView } from '../control/room-control.js';
import type { RoomRecord } from '../../store/records.js';
import type { ConferenceMediaPort } from './conference-media.js';
import type { Role } from './entry-rules.js';

/** What a participant's call does when the room acts on it. */
export interface ParticipantCall {
  readonly id: string;
  readonly identity: CallerIdentity;
  readonly endpointId: string;
  /** Removed by an administrator or the operator: the call ends (BYE). */
  kick(reason: string): void;
  /** The participant's own mute/deafen as the engine should have it now (hold adds to it). */
  applyMedia(): void;
  /** Prompts to this participant only, over the mix. */
  say?(ids: readonly string[]): void;
}

export interface Participant {
  /** 'p' + join sequence number in this session; never reused while the room runs. */
  readonly id: string;
  readonly call: ParticipantCall;
  readonly role: Role;
  readonly joinedAt: number;
  muted: boolean;
  talking: boolean;
}

export class LiveRoom {
  readonly participants: Participant[] = [];
  locked = false;
  startedAt: number | null = null;
  private seq = 0;
  /** Callers past the PIN whose join is in flight (counted for maxParticipants). */
  joining = 0;

  constructor(
    public record: RoomRecord,
    readonly engineRoomId: string,
    private readonly media: ConferenceMediaPort,
    private readonly log: Logger,
  ) {
    media.createRoom({ roomId: engineRoomId });
  }

  get number(): string {
    return this.record.number;
  }

  get size(): number {
    return this.participants.length;
  }

  /** Adds the caller's endpoint to the engine room (the engine plays the join tone). */
  async join(call: ParticipantCall, role: Role, now: number, greetingFile?: string): Promise<Participant> {
    this.joining++;
    try {
      await this.media.addToRoom(this.engineRoomId, call.endpointId, greetingFile ? { greetingFile } : {});
    } finally {
      this.joining--;
    }
    const p: Participant = { id: `p${++this.seq}`, call, role, joinedAt: now, muted: false, talking: false };
    this.participants.push(p);
    this.startedAt ??= now;
    return p;
  }

  /** Takes the participant out of the engine room (leave tone); true when the room is now empty. */
  leave(p: Participant): boolean {
    const i = this.participants.indexOf(p);
    if (i < 0) return this.participants.length === 0;
    this.participants.splice(i, 1);
    this.media.removeFromRoom(this.engineRoomId, p.call.endpointId).catch((err: Error) => this.warn('removeFromRoom', err));
    return this.participants.length === 0 && this.joining === 0;
  }

  /** The engine room goes (after the last participant left). */
  close(): void {
    this.media.destroyRoom(this.engineRoomId).catch((err: Error) => this.warn('destroyRoom', err));
  }

  byEndpoint(endpointId: string): Participant | undefined {
    return this.participants.find((p) => p.call.endpointId === endpointId);
  }

  byId(id: string): Participant | undefined {
    return this.participants.find((p) => p.id === id);
  }

  /** Mutes or unmutes one participant; false when nothing changed. */
  setMuted(p: Participant, muted: boolean): boolean {
    if (p.muted === muted) return false;
    p.muted = muted;
    p.call.applyMedia();
    return true;
  }

  view(): LiveRoomView {
    return {
      number: this.record.number,
      name: this.record.name,
      kind: this.record.kind,
      locked: this.locked,
      startedAt: this.participants.length > 0 ? this.startedAt : null,
      participants: this.participants.map(participantView),
    };
  }

  private warn(what: string, err: Error): void {
    this.log.warn({ event: 'conference.media_failed', room: this.number, request: what, error: err.message }, `room ${this.number}: ${what} failed: ${err.message}`);
  }
}

export function participantView(p: Participant): LiveParticipantView {
  return {
    id: p.id,
    callId: p.call.id,
    number: p.call.identity.number,
    name: p.call.identity.name,
    device: p.call.identity.device,
    joinedAt: p.joinedAt,
    talking: p.talking,
    muted: p.muted,
    admin: p.role === 'admin',
  };
}

/** An empty room's view (`room live` of a room nobody is in). */
export function emptyRoomView(record: RoomRecord): LiveRoomView {
  return { number: record.number, name: record.name, kind: record.kind, locked: false, startedAt: null, participants: [] };
}
