/**
 * Call control's transaction user (src/sip/stack/sip-stack.ts TransactionUser): the
 * RequestRouter hands it INVITE, CANCEL and every request inside a call's dialogs (BYE,
 * re-INVITE, UPDATE, INFO, OPTIONS, REFER, NOTIFY, PRACK) after the RFC 3261 §8.2 checks.
 *
 *   new INVITE ........ call-admission.ts, then a Call (call.ts) rings the targets
 *   CANCEL ............ 200, and the INVITE it names 487 (§9.2); none found: 481
 *   in a dialog ....... the DialogLeg bound to that dialog id (§12.2.2); none: 481
 *   ACK of a 2xx ...... stops our 2xx retransmissions (§13.3.1.4), to its DialogLeg
 *   responses ......... to whoever sent the request (per client transaction)
 *
 * It also owns the sans-IO timers of all calls (ring timeouts, session timers, glare
 * back-off, the UAS 2xx retransmitter): the shell arms one real timer at `pollTimeout()`
 * and calls `handleTimeout(now)`; `onTimersChanged` says when to look again. Media worker
 * events (RFC 4733 digits, media timeouts, a lost worker) come in through `mediaEvent`.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log/logger.js';
import type { AuthEvent } from '../../sip/auth/auth-events.js';
import type { AuthGuard } from '../../sip/auth/auth-guard.js';
import type { Dialog } from '../../sip/dialog/dialog.js';
import { dialogKeyOfRequest, dialogKeyOfResponse } from '../../sip/dialog/dialog-id.js';
import { isMidDialog } from '../../sip/dialog/dialog-table.js';
import { Uas2xxRetransmitter, uas2xxKeyOfAck } from '../../sip/dialog/uas-2xx-retransmitter.js';
import { callId } from '../../sip/headers/call-id.js';
import { cseq } from '../../sip/headers/cseq.js';
import { maxForwards } from '../../sip/headers/max-forwards.js';
import { from } from '../../sip/headers/name-addr.js';
import { topVia } from '../../sip/headers/via.js';
import type { SipRequest, SipResponse } from '../../sip/message.js';
import type { ClientTransaction, ServerTransaction } from '../../sip/transaction/transaction-layer.js';
import type { Flow } from '../../sip/transport/flow.js';
import type { Clock } from '../../time/clock.js';
import type { CallParty } from '../../store/calls-repository.js';
import { admitAuthenticated, authenticateInvite, type Refused } from './call-admission.js';
import { Call, type CallServices } from './call.js';
import { CallHistoryRecorder } from './call-history-recorder.js';
import type { CallDirectory } from './call-routing.js';
import type { CallSettings } from './call-settings.js';
import { CallTimers } from './call-timers.js';
import { InboundLeg } from './inbound-leg.js';
import type { DialogLegLike, LegContext } from './leg-context.js';
import { LiveCalls, type LiveCallSource } from './live-calls.js';
import type { EngineEvent, MediaPort } from './media-port.js';
import { buildResponse } from './responses.js';
import type { ClientEvent, SipPort } from './sip-port.js';
import type { NamedDialog, NumberHandler, ServedCall } from './number-handler.js';
import type { TransferHandler } from './transfer-hook.js';

export interface CallManagerOptions {
  sip: SipPort;
  media: MediaPort;
  clock: Clock;
  logger: Logger;
  directory: CallDirectory;
  /** The registrar's guard (RegisterPipeline.guard): shared nonces, algorithms and throttle. */
  guard: AuthGuard;
  settings: CallSettings;
  /** sip.domain: From/To/P-Asserted-Identity of the B-legs. */
  domain: string;
  /** The address our SDP names (c=, o=). */
  mediaAddress: string;
  /** Our Contact for a dialog over `flow`. */
  contactFor(flow: Flow): string;
  history?: CallHistoryRecorder;
  transfers?: TransferHandler;
  /** Numbers the switch answers itself (conference rooms), asked in order before routing. */
  numberHandlers?: readonly NumberHandler[];
  /** [0, 1) for the glare back-off; default Math.random. */
  random?: () => number;
  /** RFC 3261 T1/T2 for the 2xx retransmitter (ms). */
  timers?: { t1?: number; t2?: number };
  /** A deadline may have moved earlier: the shell re-reads pollTimeout(). */
  onTimersChanged?: () => void;
  /** warn-agent of Warning headers. */
  agent?: string;
}

const BASE_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INFO', 'UPDATE'];

export class CallManager {
  readonly calls = new Map<string, Call>();
  readonly live: LiveCalls;
  readonly history: CallHistoryRecorder;
  private readonly dialogs = new Map<string, DialogLegLike>();
  /** Calls (and served INVITEs, number-handler.ts) whose INVITE has no final response yet, by CANCEL key (§9.2). */
  private readonly pendingInvites = new Map<string, Call | ServedCall>();
  private readonly clients = new WeakMap<ClientTransaction, (e: ClientEvent) => void>();
  private readonly timers: CallTimers;
  private readonly retransmitter: Uas2xxRetransmitter;
  private readonly ackWaits = new Map<string, () => void>();
  private readonly ctx: LegContext;
  private readonly services: CallServices;
  private readonly log: Logger;

  constructor(private readonly opts: CallManagerOptions) {
    this.log = opts.logger.child({ component: 'calls' });
    this.timers = new CallTimers(opts.clock);
    this.retransmitter = new Uas2xxRetransmitter({ clock: opts.clock, ...opts.timers });
    this.history = opts.history ?? new CallHistoryRecorder(undefined, this.log);
    const transfers = opts.transfers;
    this.ctx = {
      sip: opts.sip,
      timers: this.timers,
      clock: opts.clock,
      log: this.log,
      random: opts.random ?? Math.random,
      allow: [...BASE_METHODS, ...(transfers?.methods ?? [])].join(', '),
      supported: ['timer', ...(transfers?.optionTags ?? [])].join(', '),
      sessionExpires: opts.settings.sessionExpires,
      agent: opts.agent ?? 'softswitch',
      contactFor: opts.contactFor,
      track: (tx, handler) => this.clients.set(tx, handler),
      bindDialog: (dialog, leg) => this.dialogs.set(dialog.key, leg),
      unbindDialog: (dialog: Dialog) => this.dialogs.delete(dialog.key),
      retransmit2xx: (res, flow, onTimeout) => {
        const key = this.retransmitter.start(res, flow);
        this.ackWaits.set(key, onTimeout);
        return key;
      },
      stop2xx: (key) => {
        this.retransmitter.stop(key);
        this.ackWaits.delete(key);
      },
    };
    this.services = {
      ctx: this.ctx,
      media: opts.media,
      settings: opts.settings,
      domain: opts.domain,
      mediaAddress: opts.mediaAddress,
      history: this.history,
      transfers,
      ended: (call) => this.forget(call),
    };
    // Calls a number handler answers (conference rooms) show in `softswitch calls` too.
    const sources = (opts.numberHandlers ?? []).filter((h): h is NumberHandler & LiveCallSource => h.liveCalls !== undefined && h.hangupCall !== undefined);
    this.live = new LiveCalls(this.calls, sources);
    // Transfers (transfer-hook.ts) work with the same leg services, routing, history and calls.
    const servedBy = (n: string) => opts.numberHandlers?.find((h) => h.serves(n));
    const servedDialog = (named: NamedDialog) => {
      for (const h of opts.numberHandlers ?? []) {
        const d = h.findDialog?.(named);
        if (d) return d;
      }
      return undefined;
    };
    transfers?.bind?.({ ctx: this.ctx, directory: opts.directory, settings: opts.settings, domain: opts.domain, history: this.history, calls: this.calls, servedBy, servedDialog });
    for (const h of opts.numberHandlers ?? []) {
      h.bind?.({ ctx: this.ctx, settings: opts.settings, history: this.history, mediaAddress: opts.mediaAddress, settled: (invite) => this.pendingInvites.delete(cancelKey(invite)), touched: () => this.touched() });
    }
  }

  // ------------------------------------------------------------------ TransactionUser

  request(req: SipRequest, tx: ServerTransaction, flow: Flow): void {
    if (req.method === 'INVITE' && !isMidDialog(req)) this.newInvite(req, tx, flow);
    else if (req.method === 'CANCEL') this.cancel(req, tx);
    else this.inDialog(req, tx);
    this.touched();
  }

  ack(req: SipRequest): void {
    try {
      this.retransmitter.ack(req);
      this.ackWaits.delete(uas2xxKeyOfAck(req));
    } catch {
      return; // unreadable dialog fields: no 2xx of ours matches
    }
    const key = dialogKeyOfRequest(req);
    if (key !== undefined) this.dialogs.get(key)?.handleAck(req);
    this.touched();
  }

  clientEvent(e: ClientEvent): void {
    if (e.tx.role !== 'client') return; // Timer H: the ACK for a refusal never came; nothing to do
    this.clients.get(e.tx)?.(e);
    this.touched();
  }

  /** A 2xx that outlived its INVITE transaction (RFC 6026 §8.9): its dialog re-sends the ACK. */
  strayResponse(res: SipResponse): void {
    if (res.status < 200 || res.status >= 300) return;
    const key = dialogKeyOfResponse(res);
    if (key !== undefined) this.dialogs.get(key)?.handleStray2xx(res);
    this.touched();
  }

  // ------------------------------------------------------------------ timers and media

  pollTimeout(): number | undefined {
    const a = this.timers.pollTimeout();
    const b = this.retransmitter.pollTimeout();
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  }

  /** Fires what is due; a failing handler is logged (a timer must not take the switch down). */
  handleTimeout(now: number): void {
    try {
      this.fireTimers(now);
    } catch (err) {
      this.log.error({ event: 'call.timer_failed', err: (err as Error).stack }, 'call timer handling failed');
    }
    this.touched();
  }

  private fireTimers(now: number): void {
    this.retransmitter.handleTimeout(now);
    for (let t = this.retransmitter.pollTransmit(); t; t = this.retransmitter.pollTransmit()) this.opts.sip.sendStateless(t.response, t.flow);
    for (let e = this.retransmitter.pollEvent(); e; e = this.retransmitter.pollEvent()) {
      const wait = this.ackWaits.get(e.key);
      this.ackWaits.delete(e.key);
      wait?.();
    }
    this.timers.handleTimeout(now);
  }

  /** Events of the media engine (`engine.on('event', m.mediaEvent)`); a failure is logged, never thrown into the engine. */
  readonly mediaEvent = (e: EngineEvent): void => {
    try {
      if (e.event === 'dtmf' || e.event === 'media.timeout') {
        const call = this.callOfEndpoint(e.endpointId);
        const side = call?.media.sideOf(e.endpointId);
        if (!call || !side) return;
        if (e.event === 'dtmf') call.mediaDigit(side, e.digit, e.durationMs);
        else call.mediaTimeout(side);
      } else if (e.event === 'worker.lost') {
        for (const id of e.endpoints) this.callOfEndpoint(id)?.hangup('media worker lost');
      }
    } catch (err) {
      this.log.error({ event: 'call.media_event_failed', type: e.event, err: (err as Error).stack }, 'media event handling failed');
    }
    this.touched();
  };

  /** Hangs up every call (switch stopping) and writes the history. */
  stop(): void {
    for (const call of [...this.calls.values()]) call.hangup('switch stopped');
    for (const h of this.opts.numberHandlers ?? []) h.stop?.();
    this.history.flush();
  }

  // ------------------------------------------------------------------ requests

  private newInvite(req: SipRequest, tx: ServerTransaction, flow: Flow): void {
    const s = this.opts.settings;
    const now = this.opts.clock.now();
    const transfers = this.opts.transfers;
    const handlers = this.opts.numberHandlers ?? [];
    const admission = { guard: this.opts.guard, directory: this.opts.directory, codecs: s.codecs, sessionExpires: s.sessionExpires, agent: this.ctx.agent, serves: (n: string) => handlers.some((h) => h.serves(n)) };
    const auth = authenticateInvite(req, flow, now, admission);
    for (const e of auth.events) this.logAuth(e);
    if (auth.kind === 'refused') return this.refuse(tx, auth, now);
    // RFC 3891 §3: an INVITE with Replaces names one of our dialogs, not a number to route,
    // so the transfer handler takes it once its sender is authenticated.
    if (transfers?.inviteWithReplaces && req.headers.has('replaces') && transfers.inviteWithReplaces(req, tx, flow, auth.caller.device ?? '')) return;
    const a = admitAuthenticated(req, auth, admission);
    if (a.kind === 'refused') return this.refuse(tx, a, now);
    if (a.kind === 'served') {
      const handler = handlers.find((h) => h.serves(a.dialled))!;
      const served = handler.accept({ req, tx, flow, caller: a.caller, dialled: a.dialled, offer: a.offer, timer: a.timer });
      this.pendingInvites.set(cancelKey(req), served);
      return;
    }
    const inbound = new InboundLeg(this.ctx, req, tx, flow, { offer: a.offer, timer: a.timer, device: a.caller.device });
    const call = new Call(this.services, { inbound, caller: a.caller, dialled: a.dialled, callee: a.callee, targets: a.targets, maxForwards: maxForwards(req) ?? 70 });
    this.calls.set(call.id, call);
    this.pendingInvites.set(cancelKey(req), call);
    const parties = [{ callId: call.id, userExt: a.caller.userExt!, role: 'caller' as const, missed: false }, { callId: call.id, userExt: a.callee.ext, role: 'callee' as const, missed: false }];
    this.history.started(
      { id: call.id, callerNumber: a.caller.number, callerName: a.caller.name, callerDevice: a.caller.device, dialled: a.dialled, calleeUser: a.callee.ext, answeredBy: null, startedAt: call.startedAt, answeredAt: null, endedAt: null, disposition: null, endReason: null },
      parties,
    );
    this.log.info({ event: 'call.started', call: call.id, caller: a.caller.device, dialled: a.dialled, targets: a.targets.map((t) => t.device.ext) }, `call ${a.caller.number} -> ${a.dialled}: ringing ${a.targets.length} contact(s)`);
    void call.start().catch((err: Error) => {
      this.log.error({ event: 'call.failed', call: call.id, err: err.stack }, 'call set-up failed');
      call.hangup('internal error');
    });
  }

  private refuse(tx: ServerTransaction, r: Refused, now: number): void {
    this.opts.sip.respond(tx, r.response);
    const attempt = r.attempt;
    if (!attempt) return;
    const id = randomUUID();
    const parties: CallParty[] = [{ callId: id, userExt: attempt.caller.userExt!, role: 'caller', missed: false }];
    if (attempt.callee) parties.push({ callId: id, userExt: attempt.callee.ext, role: 'callee' as const, missed: false });
    this.history.started(
      { id, callerNumber: attempt.caller.number, callerName: attempt.caller.name, callerDevice: attempt.caller.device, dialled: attempt.dialled, calleeUser: attempt.callee?.ext ?? null, answeredBy: null, startedAt: now, answeredAt: null, endedAt: now, disposition: 'failed', endReason: attempt.reason },
      parties,
    );
    this.log.info({ event: 'call.refused', caller: attempt.caller.device, dialled: attempt.dialled, status: r.response.status }, `call ${attempt.caller.number} -> ${attempt.dialled} refused: ${attempt.reason}`);
  }

  /** RFC 3261 §9.2: the CANCEL matches the INVITE by Call-ID, From tag, CSeq number and top Via branch. */
  private cancel(req: SipRequest, tx: ServerTransaction): void {
    const call = this.pendingInvites.get(cancelKey(req));
    if (!call) return this.opts.sip.respond(tx, buildResponse(req, 481));
    this.opts.sip.respond(tx, buildResponse(req, 200));
    call.callerCancelled();
  }

  private inDialog(req: SipRequest, tx: ServerTransaction): void {
    const key = dialogKeyOfRequest(req);
    const leg = key === undefined ? undefined : this.dialogs.get(key);
    if (leg) return leg.handleRequest(req, tx);
    // §12.2.2: a request naming a dialog we do not have. REFER outside a dialog: not done here.
    this.opts.sip.respond(tx, buildResponse(req, req.method === 'REFER' && key === undefined ? 501 : 481));
  }

  private forget(call: Call): void {
    this.calls.delete(call.id);
    this.pendingInvites.delete(cancelKey(call.inbound.invite));
    this.opts.transfers?.callEnded?.(call); // a transfer still ringing its target stops
  }

  private callOfEndpoint(endpointId: string): Call | undefined {
    const colon = endpointId.lastIndexOf(':');
    return colon < 0 ? undefined : this.calls.get(endpointId.slice(0, colon));
  }

  private touched(): void {
    this.opts.onTimersChanged?.();
  }

  private logAuth(e: AuthEvent): void {
    if (e.event === 'auth.failure') this.log.warn(e, `call authentication failed for ${e.username ?? '?'} from ${e.address} (${e.reason})`);
    else if (e.event === 'auth.blocked') this.log.warn(e, `blocked ${e.address} after ${e.count} failures`);
  }
}

function cancelKey(req: SipRequest): string {
  try {
    return `${callId(req)}\n${from(req).tag ?? ''}\n${cseq(req).seq}\n${topVia(req).branch ?? ''}`;
  } catch {
    return '';
  }
}
