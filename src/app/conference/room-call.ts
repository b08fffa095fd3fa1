/**
 * One caller's call to a conference room. The switch is the UAS (RFC 3261 §13.3): it
 * answers at once with its own endpoint (room-leg-media.ts), runs the entry IVR (PIN, or a
 * refusal prompt: entry-rules.ts, pin-entry.ts), then puts the endpoint into the room, where
 * the caller's keys work (conference-keys.ts). A caller brought in by a blind transfer
 * arrives with a dialog already made: it is re-INVITEd with an offer of the new endpoint.
 *
 *   answering ──200──> entry IVR ──PIN ok──> joining ──> in the room ──BYE / kick──> ended
 *        │                 └── wrong PIN x3, locked, full: prompt, BYE ──────────────┘
 *        └── CANCEL: 487
 *
 * Hold (RFC 3264 §8.4: sendonly / inactive / 0.0.0.0 from the phone) while in the room:
 * the participant is muted and deafened, so a phone's own hold music never reaches the room
 * and nothing is sent to a phone that asked for none; resuming restores the participant's
 * own mute state. A participant's hang-up at any point ends everything it had: the IVR's
 * timers and playback, the room membership (the room goes when it empties), the endpoint.
 */
import { randomUUID } from 'node:crypto';
import { SdpError, type SessionDescription } from '../../rtp/sdp/index.js';
import type { SipRequest } from '../../sip/message.js';
import type { ServerTransaction } from '../../sip/transaction/transaction-layer.js';
import { PlayPrompts, type IvrResult } from '../../ivr/index.js';
import type { CallDisposition } from '../../store/calls-repository.js';
import type { RoomRecord } from '../../store/records.js';
import type { CallerIdentity } from '../calls/caller-id.js';
import type { DialogLeg, DialogLegOwner } from '../calls/dialog-leg.js';
import { parseDtmfInfo } from '../calls/dtmf-info.js';
import { contentType } from '../../sip/headers/content-type.js';
import { InboundLeg } from '../calls/inbound-leg.js';
import type { LegEndReason, OfferResult } from '../calls/leg-context.js';
import type { ServedCall, ServedInvite } from '../calls/number-handler.js';
import type { DialogId } from '../../sip/dialog/dialog-id.js';
import { buildResponse, warningHeader } from '../calls/responses.js';
import type { ConferenceContext } from './conference-context.js';
import { ConferenceKeys } from './conference-keys.js';
import { decideEntry, isOwner, refusalOf, type Role } from './entry-rules.js';
import { InRoomPrompts } from './in-room-prompts.js';
import { IvrRunner } from './ivr-runner.js';
import type { LiveRoom, Participant, ParticipantCall } from './live-room.js';
import { PinEntry } from './pin-entry.js';
import { pinCallerKey } from './pin-guess-throttle.js';
import { RoomLegMedia } from './room-leg-media.js';
import { runKeyCommand } from './key-commands.js';

export type RoomCallState = 'answering' | 'entry' | 'joining' | 'in-room' | 'ended';

export class RoomCall implements DialogLegOwner, ServedCall, ParticipantCall {
  readonly id = randomUUID();
  readonly startedAt: number;
  state: RoomCallState = 'answering';
  readonly media: RoomLegMedia;
  readonly runner: IvrRunner;
  participant: Participant | undefined;
  room: LiveRoom | undefined;
  record: RoomRecord | undefined;
  private leg: DialogLeg | undefined;
  private inbound: InboundLeg | undefined;
  private readonly keys = new ConferenceKeys();
  private readonly prompts: InRoomPrompts;
  private answered = false;
  /** Epoch ms of our 200 (or of the transfer into the room). */
  answeredAt: number | null = null;

  private constructor(
    private readonly cx: ConferenceContext,
    readonly identity: CallerIdentity,
    readonly dialled: string,
    /** Who sent the REFER that brought this caller in (blind transfer), if so. */
    private readonly referrer: CallerIdentity | undefined,
    /** Let in without the entry rules: it takes the place of a participant (attended transfer). */
    private readonly admittedAs?: Role,
  ) {
    this.startedAt = cx.env.ctx.clock.now();
    this.media = new RoomLegMedia(`conf-${this.id}`, cx.media, { address: cx.env.mediaAddress, codecs: cx.env.settings.codecs, mediaTimeoutMs: cx.env.settings.mediaTimeoutMs, log: cx.log });
    this.prompts = new InRoomPrompts(cx, this.media.endpointId);
    this.runner = new IvrRunner({ media: cx.media, catalog: cx.catalog, language: cx.language, endpointId: this.media.endpointId, timers: cx.env.ctx.timers, log: cx.log, touched: () => cx.env.touched() });
  }

  get endpointId(): string {
    return this.media.endpointId;
  }

  /** A new INVITE to a room number (CallManager, after admission). */
  static answer(cx: ConferenceContext, inv: ServedInvite): RoomCall {
    const call = new RoomCall(cx, inv.caller, inv.dialled, undefined);
    const inbound = new InboundLeg(cx.env.ctx, inv.req, inv.tx, inv.flow, { offer: inv.offer, timer: inv.timer, device: inv.caller.device });
    inbound.owner = call;
    call.inbound = inbound;
    cx.track(call);
    call.recordStart();
    // Asynchronous from here (the endpoint): the shell re-reads the deadlines afterwards
    // (the 2xx retransmissions, session timers, IVR timers armed on the way).
    void call
      .answerInvite()
      .catch((err: Error) => call.failed(err))
      .finally(() => cx.env.touched());
    return call;
  }

  /** A blind transfer to the room: the transferee's dialog is ours now. */
  static transferIn(cx: ConferenceContext, leg: DialogLeg, transferee: CallerIdentity, referrer: CallerIdentity, dialled: string, admittedAs?: Role): RoomCall {
    const call = new RoomCall(cx, transferee, dialled, referrer, admittedAs);
    call.leg = leg;
    leg.owner = call;
    cx.track(call);
    call.recordStart();
    void call
      .reinviteTransferee()
      .catch((err: Error) => call.failed(err))
      .finally(() => cx.env.touched());
    return call;
  }

  // ------------------------------------------------------------------ answering

  private async answerInvite(): Promise<void> {
    const inbound = this.inbound!;
    try {
      await this.media.open();
    } catch (err) {
      this.cx.log.warn({ event: 'conference.media_unavailable', call: this.id, error: (err as Error).message }, 'no media endpoint for a room caller');
      inbound.refuse(503, { reason: 'Media Unavailable' });
      this.cx.env.settled(inbound.invite);
      return this.end('503 media unavailable', 'failed');
    }
    if (this.state === 'ended') return void this.media.close(); // cancelled meanwhile
    let body: string;
    try {
      body = inbound.offer ? this.media.answer(inbound.offer) : this.media.offer();
    } catch (err) {
      if (!(err instanceof SdpError)) throw err;
      inbound.refuse(488, { headers: [warningHeader(err.warning?.code ?? 399, this.cx.env.ctx.agent, err.message)] });
      this.cx.env.settled(inbound.invite);
      return this.end(`488 ${err.message}`, 'failed');
    }
    this.leg = inbound.accept(body);
    this.cx.env.settled(inbound.invite);
    this.recordAnswer();
    this.enter();
  }

  private async reinviteTransferee(): Promise<void> {
    this.recordAnswer();
    try {
      await this.media.open();
    } catch (err) {
      this.cx.log.warn({ event: 'conference.media_unavailable', call: this.id, error: (err as Error).message }, 'no media endpoint for a transferred caller');
      return this.hangup('media unavailable');
    }
    if (this.state === 'ended') return void this.media.close();
    this.leg!.sendOffer('INVITE', this.media.offer(), [], (res) => {
      if (this.state === 'ended') return;
      if (!res || res.status >= 300) return this.hangup(`re-INVITE after transfer: ${res?.status ?? 408}`);
      this.enter();
      this.cx.env.touched();
    });
  }

  /** CANCEL before our 200 (RFC 3261 §9.2): 487. */
  callerCancelled(): void {
    const inbound = this.inbound;
    if (!inbound?.pending) return;
    inbound.refuse(487);
    this.cx.env.settled(inbound.invite);
    this.end('caller cancelled', 'cancelled');
  }

  // ------------------------------------------------------------------ entry

  private enter(): void {
    if (this.state === 'ended') return;
    const record = this.cx.findRoom(this.dialled);
    if (!record) return this.sayThenHangUp(['conf-no-such-number'], 'no such room');
    this.record = record;
    this.runner.language = record.language ?? this.cx.language;
    this.state = 'entry';
    if (this.admittedAs) return this.enterRoom(this.cx.openRoom(record), this.admittedAs);
    const live = this.cx.liveRoom(record.number);
    const decision = decideEntry({ ...this.entryState(record, live), transferredByOwner: this.transferredByOwner(record) });
    if (decision.kind === 'refuse') return this.sayThenHangUp([decision.prompt], decision.reason);
    if (decision.kind === 'join') return this.join(decision.role);
    this.askPin(record, decision.pins, decision.emptyEntry);
  }

  /** The PIN step, unless the caller guessed too many wrong PINs lately (pin-guess-throttle.ts): then the goodbye and BYE. */
  private askPin(record: RoomRecord, pins: ReadonlyMap<string, Role>, emptyEntry: Role | undefined): void {
    const throttle = this.cx.pinThrottle;
    const clock = this.cx.env.ctx.clock;
    const caller = pinCallerKey(this.identity, this.leg?.flow.remoteAddress);
    const until = throttle.blockedUntil(caller, clock.now());
    if (until !== undefined) {
      throttle.refused(caller, record.number, until);
      return this.sayThenHangUp(['conf-wrong-pin-goodbye'], 'PIN entry blocked');
    }
    const step = new PinEntry(pins, emptyEntry, () => throttle.wrongPin(caller, record.number, clock.now()));
    this.runner.run(step, (r) => this.pinEntered(step, r));
  }

  private pinEntered(step: PinEntry, r: IvrResult): void {
    if (r.outcome !== 'collected') return this.hangup(r.outcome === 'hangup' && r.reason === 'PIN entry blocked' ? r.reason : 'wrong PIN');
    this.join(step.roleOf(r.digits) ?? 'participant');
  }

  private entryState(record: RoomRecord, live: LiveRoom | undefined) {
    const callerUserId = this.cx.userIdOf(this.identity);
    const ownerAlreadyIn = isOwner(record, callerUserId) && live !== undefined && live.participants.some((p) => p.role === 'admin' && this.cx.userIdOf(p.call.identity) === callerUserId);
    return { room: record, callerUserId, ownerAlreadyIn, locked: live?.locked ?? false, participants: live ? live.size + live.joining : 0 };
  }

  private transferredByOwner(record: RoomRecord): boolean {
    return this.referrer !== undefined && isOwner(record, this.cx.userIdOf(this.referrer));
  }

  private join(role: Role): void {
    if (this.state === 'ended') return;
    const record = this.record!;
    const live = this.cx.openRoom(record);
    const refusal = refusalOf({ ...this.entryState(record, live), transferredByOwner: this.transferredByOwner(record) });
    if (refusal?.kind === 'refuse') {
      this.cx.closeIfEmpty(live);
      return this.sayThenHangUp([refusal.prompt], refusal.reason);
    }
    if (role === 'admin' && !isOwner(record, this.cx.userIdOf(this.identity))) {
      // Joined with the admin PIN: say so before entering.
      this.runner.run(new PlayPrompts({ prompts: ['conf-joined-admin'] }), () => this.enterRoom(live, role));
      return;
    }
    this.enterRoom(live, role);
  }

  private enterRoom(live: LiveRoom, role: Role): void {
    if (this.state === 'ended') return this.cx.closeIfEmpty(live);
    this.state = 'joining';
    const alone = live.size === 0 && live.joining === 0;
    const greeting = alone ? this.promptFile('conf-only-participant') : undefined;
    live.join(this, role, this.cx.env.ctx.clock.now(), greeting).then(
      (p) => {
        if (this.state === 'ended') {
          if (live.leave(p)) this.cx.roomEmptied(live);
          return;
        }
        this.participant = p;
        this.room = live;
        this.state = 'in-room';
        if (this.media.holding) this.applyMedia();
        this.cx.log.info({ event: 'conference.joined', room: live.number, call: this.id, participant: p.id, caller: this.identity.number, admin: role === 'admin' }, `${this.identity.number} joined room ${live.number} as ${p.id}${role === 'admin' ? ' (admin)' : ''}`);
        this.cx.env.touched();
      },
      (err: Error) => {
        this.cx.log.warn({ event: 'conference.join_failed', room: live.number, call: this.id, error: err.message }, `joining room ${live.number} failed: ${err.message}`);
        this.cx.closeIfEmpty(live);
        this.hangup('media: join failed');
      },
    );
  }

  private sayThenHangUp(prompts: string[], reason: string): void {
    this.runner.run(new PlayPrompts({ prompts }), () => this.hangup(reason));
  }

  // ------------------------------------------------------------------ in the room

  /** A DTMF key from RFC 4733 events (the engine) or SIP INFO. */
  digit(key: string): void {
    if (this.state === 'entry') return this.runner.digit(key);
    if (this.state !== 'in-room') return;
    const cmd = this.keys.press(key);
    if (cmd) runKeyCommand(this, cmd);
  }

  /** Plays prompts to this participant over the room's mix, one file after the other. */
  say(ids: readonly string[]): void {
    this.prompts.say(ids.map((id) => this.promptFile(id)).filter((f): f is string => f !== undefined));
  }

  applyMedia(): void {
    if (this.state !== 'in-room' || !this.participant) return;
    const hold = this.media.holding;
    const ep = this.endpointId;
    const warn = (err: Error) => this.cx.log.warn({ event: 'conference.media_failed', call: this.id, error: err.message }, `mute/deafen failed: ${err.message}`);
    this.cx.media.mute(ep, this.participant.muted || hold).catch(warn);
    this.cx.media.deafen(ep, hold).catch(warn);
  }

  /** The call's dialog id, once it has one and while it lasts (a Replaces may name it). */
  get dialogId(): DialogId | undefined {
    return this.state === 'ended' ? undefined : this.leg?.dialog.id;
  }

  kick(reason: string): void {
    this.hangup(reason);
  }

  /** Ends the call from our side (BYE). */
  hangup(reason: string): void {
    if (this.state === 'ended') return;
    if (this.inbound?.pending) {
      this.inbound.refuse(480);
      this.cx.env.settled(this.inbound.invite);
      return this.end(reason, 'failed');
    }
    this.leg?.bye();
    this.end(reason, 'answered');
  }

  /** No RTP for calls.mediaTimeout (the engine's event), unless on hold. */
  mediaTimeout(): void {
    if (!this.media.holding) this.hangup('media timeout');
  }

  // ------------------------------------------------------------------ the dialog (DialogLegOwner)

  legBye(): void {
    this.end('caller hung up', 'answered');
  }

  legEnded(_leg: DialogLeg, why: LegEndReason): void {
    this.end(why, this.answered ? 'answered' : 'failed');
  }

  legOffer(_leg: DialogLeg, offer: SessionDescription | undefined): OfferResult {
    if (offer === undefined) return { body: this.media.offer() };
    let body: string;
    try {
      body = this.media.answer(offer);
    } catch (err) {
      if (!(err instanceof SdpError)) throw err;
      return { status: err.status, warning: err.message };
    }
    this.applyMedia();
    return { body };
  }

  legAnswer(_leg: DialogLeg, answer: SessionDescription | undefined, via: 'ACK' | '2xx'): void {
    try {
      if (answer === undefined) throw new SdpError(`no answer in the ${via}`, 488);
      this.media.takeAnswer(answer);
      this.applyMedia();
    } catch (err) {
      if (!(err instanceof SdpError)) throw err;
      this.cx.log.warn({ event: 'conference.bad_answer', call: this.id, error: err.message }, `unusable SDP answer: ${err.message}`);
      this.hangup('unusable SDP answer');
    }
  }

  legInfo(_leg: DialogLeg, req: SipRequest): number {
    if (req.body.length === 0) return 200;
    const t = contentType(req);
    const d = t === undefined ? undefined : parseDtmfInfo(`${t.type}/${t.subtype}`, req.body);
    if (d === undefined) return 415;
    this.digit(d.digit);
    return 200;
  }

  legRefer(_leg: DialogLeg, req: SipRequest, tx: ServerTransaction): void {
    this.cx.env.ctx.sip.respond(tx, buildResponse(req, 501));
  }

  legNotify(_leg: DialogLeg, req: SipRequest, tx: ServerTransaction): void {
    this.cx.env.ctx.sip.respond(tx, buildResponse(req, 481, { reason: 'Subscription Does Not Exist' }));
  }

  legRefreshOffer(): string | undefined {
    return this.media.lastBody;
  }

  // ------------------------------------------------------------------ ending

  private end(reason: string, disposition: CallDisposition): void {
    if (this.state === 'ended') return;
    const was = this.state;
    this.state = 'ended';
    this.runner.stop();
    this.prompts.stop();
    const room = this.room;
    if (room && this.participant && room.leave(this.participant)) this.cx.roomEmptied(room);
    void this.media.close();
    const endedAt = this.cx.env.ctx.clock.now();
    this.cx.env.history.ended(this.id, { endedAt, disposition, endReason: reason }, []);
    this.cx.log.info({ event: 'conference.left', room: this.dialled, call: this.id, participant: this.participant?.id, reason, was }, `${this.identity.number} left room ${this.dialled}: ${reason}`);
    this.cx.forget(this);
  }

  private failed(err: Error): void {
    this.cx.log.error({ event: 'conference.call_failed', call: this.id, err: err.stack }, 'conference call failed');
    this.hangup('internal error');
  }

  private recordStart(): void {
    const i = this.identity;
    this.cx.env.history.started(
      { id: this.id, callerNumber: i.number, callerName: i.name, callerDevice: i.device, dialled: this.dialled, calleeUser: null, answeredBy: null, startedAt: this.startedAt, answeredAt: null, endedAt: null, disposition: null, endReason: null },
      i.userExt ? [{ callId: this.id, userExt: i.userExt, role: 'caller', missed: false }] : [],
    );
  }

  private recordAnswer(): void {
    this.answered = true;
    this.answeredAt = this.cx.env.ctx.clock.now();
    this.cx.env.history.answered(this.id, this.answeredAt, `room ${this.dialled}`);
  }

  /** "There are N participants" in the room's language. */
  catalogIds(n: number): string[] {
    return this.cx.catalog.sayParticipantCount(n, this.runner.language);
  }

  promptFile(id: string): string | undefined {
    try {
      return this.cx.catalog.file(id, this.runner.language);
    } catch (err) {
      this.cx.log.warn({ event: 'conference.prompt_missing', prompt: id, error: (err as Error).message }, `prompt ${id} missing`);
      return undefined;
    }
  }
}
