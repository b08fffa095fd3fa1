/**
 * What a RoomCall gets from the ConferenceService: the call core's services, the media
 * engine, prompts, rooms (configured and live) and the service's bookkeeping.
 */
import type { Logger } from '../../log/logger.js';
import type { Language, PromptCatalog } from '../../ivr/index.js';
import type { RoomRecord } from '../../store/records.js';
import type { CallerIdentity } from '../calls/caller-id.js';
import type { NumberHandlerEnvironment } from '../calls/number-handler.js';
import type { ConferenceMediaPort } from './conference-media.js';
import type { LiveRoom } from './live-room.js';
import type { PinGuessThrottle } from './pin-guess-throttle.js';
import type { RoomCall } from './room-call.js';

export interface ConferenceContext {
  readonly env: NumberHandlerEnvironment;
  readonly media: ConferenceMediaPort;
  readonly catalog: PromptCatalog;
  /** The system's prompt language (ivr.language); a room's own wins. */
  readonly language: Language;
  readonly log: Logger;
  /** Wrong PINs per caller across all rooms (pin-guess-throttle.ts). */
  readonly pinThrottle: PinGuessThrottle;
  /** The configured room with this number now (read on each call: CLI changes count at once). */
  findRoom(number: string): RoomRecord | undefined;
  /** The user id of a caller of ours; null for anyone else. */
  userIdOf(identity: CallerIdentity): number | null;
  /** The room's live session, if anyone is in it (or joining). */
  liveRoom(number: string): LiveRoom | undefined;
  /** The live session, created (with its engine room) when there is none. */
  openRoom(record: RoomRecord): LiveRoom;
  /** The last participant left: the session and its engine room go. */
  roomEmptied(room: LiveRoom): void;
  /** The session goes if nobody is in it or joining (a join that did not happen). */
  closeIfEmpty(room: LiveRoom): void;
  track(call: RoomCall): void;
  forget(call: RoomCall): void;
}
