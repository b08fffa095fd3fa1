/**
 * The conference service (issue 5): the call core's NumberHandler for room numbers
 * (number-handler.ts). CallManager hands it every admitted INVITE whose number is a
 * configured room, and every blind transfer to one; each becomes a RoomCall
 * (room-call.ts). It keeps the live rooms (live-room.ts), takes the media engine's events
 * for its endpoints (RFC 4733 digits, prompts finished, talking, media timeouts), and
 * answers the `room.*` control methods (room-control-handlers.ts).
 */
import type { Logger } from '../../log/logger.js';
import type { EngineEvent } from '../../mixer/channel/media-engine.js';
import type { Language, PromptCatalog } from '../../ivr/index.js';
import type { RoomRecord } from '../../store/records.js';
import type { CallerIdentity } from '../calls/caller-id.js';
import type { NamedDialog, NumberHandler, NumberHandlerEnvironment, ServedCall, ServedDialog, ServedInvite, TransferredParty } from '../calls/number-handler.js';
import type { ControlMethods } from '../control/control-protocol.js';
import type { LiveCallView } from '../control/live-call-view.js';
import type { ConferenceContext } from './conference-context.js';
import type { ConferenceMediaPort } from './conference-media.js';
import { LiveRoom } from './live-room.js';
import { DEFAULT_PIN_THROTTLE, PinGuessThrottle, type PinThrottleSettings } from './pin-guess-throttle.js';
import { RoomCall } from './room-call.js';
import { roomCallView } from './room-call-view.js';
import { namesCall, servedDialogOf } from './room-replaces.js';
import { roomControlMethods } from './room-control-handlers.js';

export interface ConferenceServiceOptions {
  media: ConferenceMediaPort;
  catalog: PromptCatalog;
  /** ivr.language: prompts for rooms without a language of their own. */
  language: Language;
  /** The configured room with this number (store.rooms.findByNumber). */
  findRoom(number: string): RoomRecord | undefined;
  /** The id of the user with this main extension (store.users.findByExt). */
  userIdByExt(ext: string): number | undefined;
  logger: Logger;
  /** config.yaml `security:` (pinMaxFailures, pinFailureWindow, pinBlockTime); defaults 10 in 900 s block 900 s. */
  pinThrottle?: PinThrottleSettings;
}

export class ConferenceService implements NumberHandler, ConferenceContext {
  readonly media: ConferenceMediaPort;
  readonly catalog: PromptCatalog;
  readonly language: Language;
  readonly log: Logger;
  /** Wrong PINs per caller across all rooms, and the blocks they earn. */
  readonly pinThrottle: PinGuessThrottle;
  /** Live rooms by number. */
  readonly rooms = new Map<string, LiveRoom>();
  /** Calls to rooms (answering, in the IVR, or in a room), by endpoint id. */
  readonly calls = new Map<string, RoomCall>();
  private environment: NumberHandlerEnvironment | undefined;
  private sessions = 0;

  constructor(private readonly opts: ConferenceServiceOptions) {
    this.media = opts.media;
    this.catalog = opts.catalog;
    this.language = opts.language;
    this.log = opts.logger.child({ component: 'conference' });
    this.pinThrottle = new PinGuessThrottle(opts.pinThrottle ?? DEFAULT_PIN_THROTTLE, this.log);
    this.media.on('event', this.mediaEvent);
  }

  get env(): NumberHandlerEnvironment {
    if (!this.environment) throw new Error('ConferenceService used before CallManager bound it');
    return this.environment;
  }

  // ------------------------------------------------------------------ NumberHandler

  bind(env: NumberHandlerEnvironment): void {
    this.environment = env;
  }

  serves(number: string): boolean {
    return this.opts.findRoom(number) !== undefined;
  }

  accept(inv: ServedInvite): ServedCall {
    return RoomCall.answer(this, inv);
  }

  transferIn(party: TransferredParty): void {
    const call = RoomCall.transferIn(this, party.leg, party.transferee, party.referrer, party.dialled);
    this.log.info({ event: 'conference.transfer_in', call: call.id, room: party.dialled, transferee: party.transferee.number, by: party.referrer.number }, `${party.referrer.number} transfers ${party.transferee.number} to room ${party.dialled}`);
  }

  /** A REFER with Replaces naming a room call's dialog (attended transfer into the room). */
  findDialog(named: NamedDialog): ServedDialog | undefined {
    for (const call of this.calls.values()) {
      if (namesCall(call, named)) return servedDialogOf(this, call);
    }
    return undefined;
  }

  /** Room calls for `softswitch calls` (live-calls.ts): one leg each, callee the room. */
  liveCalls(): Promise<LiveCallView[]> {
    return Promise.all([...this.calls.values()].map((c) => roomCallView(c, this.media)));
  }

  /** `softswitch hangup <id>` of a room call. */
  hangupCall(id: string): boolean {
    const call = [...this.calls.values()].find((c) => c.id === id);
    call?.hangup('operator');
    return call !== undefined;
  }

  /** The switch stops: every room caller gets BYE. */
  stop(): void {
    for (const call of [...this.calls.values()]) call.hangup('switch stopped');
    this.media.off('event', this.mediaEvent);
  }

  /** `room.live|mute|unmute|kick|lock|unlock` for the control server (room-control.ts). */
  controlMethods(): ControlMethods {
    return roomControlMethods(this, this.opts.findRoom);
  }

  // ------------------------------------------------------------------ ConferenceContext

  findRoom(number: string): RoomRecord | undefined {
    return this.opts.findRoom(number);
  }

  userIdOf(identity: CallerIdentity): number | null {
    return identity.userExt === null ? null : (this.opts.userIdByExt(identity.userExt) ?? null);
  }

  liveRoom(number: string): LiveRoom | undefined {
    return this.rooms.get(number);
  }

  openRoom(record: RoomRecord): LiveRoom {
    let room = this.rooms.get(record.number);
    if (room) {
      room.record = record;
      return room;
    }
    room = new LiveRoom(record, `conf-${record.number}-${++this.sessions}`, this.media, this.log);
    this.rooms.set(record.number, room);
    this.log.info({ event: 'conference.room_opened', room: record.number, engineRoom: room.engineRoomId }, `room ${record.number} opened`);
    return room;
  }

  roomEmptied(room: LiveRoom): void {
    if (this.rooms.get(room.number) !== room) return;
    this.rooms.delete(room.number);
    room.close();
    this.log.info({ event: 'conference.room_closed', room: room.number }, `room ${room.number} closed: the last participant left`);
  }

  closeIfEmpty(room: LiveRoom): void {
    if (room.size === 0 && room.joining === 0) this.roomEmptied(room);
  }

  track(call: RoomCall): void {
    this.calls.set(call.endpointId, call);
  }

  forget(call: RoomCall): void {
    this.calls.delete(call.endpointId);
  }

  // ------------------------------------------------------------------ media events

  private readonly mediaEvent = (e: EngineEvent): void => {
    try {
      this.onMediaEvent(e);
    } catch (err) {
      this.log.error({ event: 'conference.media_event_failed', type: e.event, err: (err as Error).stack }, 'media event handling failed');
    }
    this.environment?.touched();
  };

  private onMediaEvent(e: EngineEvent): void {
    switch (e.event) {
      case 'dtmf':
        return this.calls.get(e.endpointId)?.digit(e.digit);
      case 'playback.finished':
        for (const call of this.calls.values()) if (call.runner.owns(e.playbackId)) return call.runner.playbackFinished(e.playbackId, e.reason);
        return;
      case 'talking': {
        const p = this.calls.get(e.endpointId)?.participant;
        if (p) p.talking = e.talking;
        return;
      }
      case 'media.timeout':
        return this.calls.get(e.endpointId)?.mediaTimeout();
      case 'worker.lost':
        for (const id of e.endpoints) this.calls.get(id)?.hangup('media worker lost');
        return;
      default:
        return;
    }
  }
}
