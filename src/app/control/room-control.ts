/**
 * The live side of conference rooms over the control socket (control-protocol.ts): what the
 * running switch's conference service answers to `softswitch room live | mute | unmute |
 * kick | lock | unlock`. The conference service (src/app/conference) registers these methods
 * and builds the views; the CLI only resolves what the operator typed and renders the
 * answers. Plain JSON: numbers, strings, booleans, null, arrays.
 *
 * Every method takes the room's `number`. A number that is no configured room, or a
 * participant id not in the room now, is refused with a one-line error (ControlMethodError),
 * e.g. `no conference room 8000` / `no participant p7 in room 8000`.
 */

export interface LiveParticipantView {
  /**
   * Unique in the room while it runs and never reused there: 'p' + join sequence number
   * ('p1', 'p2', ...), so it cannot be mistaken for a phone number. What mute/unmute/kick take.
   */
  id: string;
  /** The call that brought the participant in (the id `softswitch calls` shows). */
  callId: string;
  /** Number presented by the caller ('1001', '+4930123456'). */
  number: string;
  /** Display name (the user's name for our devices, else the caller's display name); null if none. */
  name: string | null;
  /** Our device extension the participant called from; null for a caller from outside. */
  device: string | null;
  /** Epoch ms when the participant entered the room (after any PIN). */
  joinedAt: number;
  /** Among the talkers the mixer hears now (voice activity, with hangover). */
  talking: boolean;
  /** Muted by themselves, by an administrator's key or by the operator. */
  muted: boolean;
  /** Has the administrator keys: joined with the admin PIN, or the private room's owner. */
  admin: boolean;
}

export interface LiveRoomView {
  number: string;
  name: string;
  kind: 'public' | 'private';
  /** A locked room refuses new callers with a prompt. */
  locked: boolean;
  /** Epoch ms when the first participant of this session joined; null when the room is empty. */
  startedAt: number | null;
  /** In join order (oldest first); empty when nobody is in the room. */
  participants: LiveParticipantView[];
}

/** Method `room.live`: params RoomParams; result LiveRoomView (an empty room too). */
export const ROOM_LIVE = 'room.live';
/** Method `room.mute`: params ParticipantParams; result ParticipantResult. */
export const ROOM_MUTE = 'room.mute';
/** Method `room.unmute`: params ParticipantParams; result ParticipantResult. */
export const ROOM_UNMUTE = 'room.unmute';
/** Method `room.kick`: params ParticipantParams; result ParticipantResult (the participant as it was when removed). */
export const ROOM_KICK = 'room.kick';
/** Method `room.lock`: params RoomParams; result LockResult. */
export const ROOM_LOCK = 'room.lock';
/** Method `room.unlock`: params RoomParams; result LockResult. */
export const ROOM_UNLOCK = 'room.unlock';

export const ROOM_METHODS = [ROOM_LIVE, ROOM_MUTE, ROOM_UNMUTE, ROOM_KICK, ROOM_LOCK, ROOM_UNLOCK] as const;

export interface RoomParams {
  /** The room's number. */
  number: string;
}

export interface ParticipantParams extends RoomParams {
  /**
   * The participant's exact id (`LiveParticipantView.id`). Matching what the operator typed
   * (an id, a device or a number) is the caller's business: `matchParticipant` in
   * below; the handlers take ids only.
   */
  participant: string;
}

export interface ParticipantResult {
  /** The participant after the change (kick: as it was when removed). */
  participant: LiveParticipantView;
  /** False when nothing had to change (muting someone already muted). Kick: always true. */
  changed: boolean;
}

export interface LockResult {
  number: string;
  locked: boolean;
  /** False when the room already was in that state. */
  changed: boolean;
}

/**
 * A participant as an operator types it after `softswitch room live`: its id (`p3`), or the
 * device it called from, or the number it presented, when only one participant has it.
 */
export type ParticipantMatch =
  | { kind: 'one'; participant: LiveParticipantView }
  | { kind: 'none' }
  | { kind: 'ambiguous'; participants: LiveParticipantView[] };

/** An id (case-insensitive) wins; else a device extension; else a presented number; each must be unique. */
export function matchParticipant(input: string, participants: readonly LiveParticipantView[]): ParticipantMatch {
  const wanted = input.trim();
  if (wanted === '') return { kind: 'none' };
  const byId = participants.find((p) => p.id.toLowerCase() === wanted.toLowerCase());
  if (byId) return { kind: 'one', participant: byId };
  for (const key of ['device', 'number'] as const) {
    const found = participants.filter((p) => p[key] === wanted);
    if (found.length === 1) return { kind: 'one', participant: found[0]! };
    if (found.length > 1) return { kind: 'ambiguous', participants: found };
  }
  return { kind: 'none' };
}
