/**
 * A SIP dialog (RFC 3261 §12): the state two UAs keep for a peer-to-peer relationship -
 * dialog id (Call-ID, local tag, remote tag), local and remote sequence numbers, local and
 * remote URI, remote target, route set and secure flag - plus the state early / confirmed /
 * terminated.
 *
 * Sans-IO: a Dialog builds requests and judges incoming ones; it sends nothing. The TU sends
 * what it builds through the TransactionLayer to the flow it resolves `nextHopUri()` to.
 *
 *   Dialog.uas(req, ...)        §12.1.1 (the UAS answered with 101-199 + tag, or a 2xx)
 *   Dialog.uac(req, res, ...)   §12.1.2 (usually through a DialogSet, which handles forks)
 *   createRequest(method)       §12.2.1.1 (CSeq +1; ACK and CANCEL are refused: see below)
 *   createAck(invite)           §13.2.2.4 (ACK for a 2xx: CSeq number of the INVITE)
 *   receiveRequest(req)         §12.2.2   (CSeq order -> 500, target refresh)
 *   receiveResponse(res)        §12.2.1.2 (2xx to a target refresh; 481/408 end the dialog)
 */
import { cseq, CSEQ_MAX } from '../headers/cseq.js';
import { callId } from '../headers/call-id.js';
import { contacts, from, to, type NameAddr } from '../headers/name-addr.js';
import type { SipRequest, SipResponse } from '../message.js';
import type { Flow } from '../transport/flow.js';
import { requestUri } from '../uri.js';
import { SipSyntaxError } from '../errors.js';
import { buildInDialogRequest, type InDialogRequestOptions } from './dialog-requests.js';
import { dialogKey, type DialogId } from './dialog-id.js';
import { recordRouteValues, routeRequest } from './route-set.js';
import { isTargetRefresh } from './target-refresh.js';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** Verdict on a request received inside a dialog (§12.2.2). */
export type InDialogVerdict =
  | { ok: true; targetRefreshed: boolean }
  | { ok: false; status: 500 | 481; reason: string };

export interface DialogOptions {
  /** The flow the dialog-creating request came on / went over (secure flag, and kept for the TU). */
  flow?: Flow;
  /** Local CSeq for our first request when the local sequence number is empty (§8.1.1.5: < 2**31). Default 1. */
  initialLocalSeq?: number;
}

export interface UasDialogOptions extends DialogOptions {
  /** The tag this UAS puts in the To of its responses. */
  localTag: string;
  /** Contact of our response: our target, sent in our target refresh requests. */
  localContact?: string;
  /** 'early' for a dialog made by a 101-199 with tag, 'confirmed' by a 2xx. Default 'early'. */
  state?: 'early' | 'confirmed';
}

interface DialogInit {
  role: 'uac' | 'uas';
  id: DialogId;
  state: 'early' | 'confirmed';
  localSeq: number | undefined;
  remoteSeq: number | undefined;
  local: NameAddr;
  remote: NameAddr;
  remoteTarget: string;
  routeSet: string[];
  secure: boolean;
  localContact: string | undefined;
  flow: Flow | undefined;
  initialLocalSeq: number;
}

export class Dialog {
  readonly role: 'uac' | 'uas';
  readonly id: DialogId;
  /** `dialogKey(id)`: the DialogTable key. */
  readonly key: string;
  state: DialogState;
  /** Empty (undefined) until we send a request, for a UAS (§12.1.1). */
  localSeq: number | undefined;
  /** Empty until the peer sends a request, for a UAC (§12.1.2). */
  remoteSeq: number | undefined;
  readonly localUri: string;
  readonly remoteUri: string;
  readonly localDisplayName: string | undefined;
  readonly remoteDisplayName: string | undefined;
  /** The peer's Contact URI; replaced by target refreshes. */
  remoteTarget: string;
  /** Route header values in the order they go into requests. */
  routeSet: string[];
  /** §12.1.1 / §12.1.2: TLS and a SIPS Request-URI. */
  readonly secure: boolean;
  /** Our Contact (the value we sent), put in our target refresh requests. */
  localContact: string | undefined;
  /** The flow of the dialog-creating request, for the TU's convenience. */
  flow: Flow | undefined;
  private readonly initialLocalSeq: number;
  private lastAck: { seq: number; request: SipRequest } | undefined;

  private constructor(init: DialogInit) {
    this.role = init.role;
    this.id = init.id;
    this.key = dialogKey(init.id);
    this.state = init.state;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.localUri = init.local.uri;
    this.localDisplayName = init.local.displayName;
    this.remoteUri = init.remote.uri;
    this.remoteDisplayName = init.remote.displayName;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.secure = init.secure;
    this.localContact = init.localContact;
    this.flow = init.flow;
    this.initialLocalSeq = init.initialLocalSeq;
  }

  /**
   * §12.1.1: the dialog a UAS creates when it answers `req` with a 101-199 carrying a To tag
   * or with a 2xx. Route set = Record-Route in order; remote target = Contact; remote
   * sequence number = CSeq; local sequence number empty; remote URI = From, local URI = To.
   */
  static uas(req: SipRequest, opts: UasDialogOptions): Dialog {
    const fromH = from(req);
    return new Dialog({
      role: 'uas',
      id: { callId: callId(req), localTag: opts.localTag, remoteTag: fromH.tag ?? '' },
      state: opts.state ?? 'early',
      localSeq: undefined,
      remoteSeq: cseq(req).seq,
      local: to(req),
      remote: fromH,
      remoteTarget: contactUri(req) ?? missingContact(req),
      routeSet: recordRouteValues(req),
      secure: isSecure(req, opts.flow),
      localContact: opts.localContact,
      flow: opts.flow,
      initialLocalSeq: opts.initialLocalSeq ?? 1,
    });
  }

  /**
   * §12.1.2: the dialog a UAC creates from a 101-199 with To tag (early) or a 2xx (confirmed)
   * to `req`. Route set = Record-Route of the response reversed; remote target = its Contact
   * (the Request-URI until a response brings one); local sequence number = CSeq of the
   * request; remote one empty; local URI = From, remote URI = To.
   */
  static uac(req: SipRequest, res: SipResponse, opts: DialogOptions = {}): Dialog {
    const fromH = from(req);
    const contact = req.headers.get('contact');
    return new Dialog({
      role: 'uac',
      id: { callId: callId(req), localTag: fromH.tag ?? '', remoteTag: to(res).tag ?? '' },
      state: res.status >= 200 ? 'confirmed' : 'early',
      localSeq: cseq(req).seq,
      remoteSeq: undefined,
      local: fromH,
      remote: to(res),
      remoteTarget: contactUri(res) ?? req.uri,
      routeSet: recordRouteValues(res).reverse(),
      secure: isSecure(req, opts.flow),
      localContact: contact,
      flow: opts.flow,
      initialLocalSeq: opts.initialLocalSeq ?? 1,
    });
  }

  /** Where a request built now goes first (§8.1.2 with §12.2.1.1): a loose route, the strict router, or the target. */
  nextHopUri(): string {
    return routeRequest(this.routeSet, this.remoteTarget).nextHop;
  }

  /**
   * §12.2.1.1: a new request in this dialog, with the local sequence number incremented by
   * one (chosen first when empty). ACK for a 2xx comes from `createAck` (it reuses the
   * INVITE's CSeq); CANCEL is hop-by-hop and comes from `TransactionLayer.cancel`.
   */
  createRequest(method: string, opts: InDialogRequestOptions = {}): SipRequest {
    if (method === 'ACK') throw new TypeError('use createAck for the ACK of a 2xx (RFC 3261 §13.2.2.4)');
    if (method === 'CANCEL') throw new TypeError('CANCEL is built by TransactionLayer.cancel from the request it cancels (RFC 3261 §9.1)');
    if (this.state === 'terminated') throw new Error(`dialog ${this.key} is terminated`);
    const seq = this.localSeq === undefined ? this.initialLocalSeq : this.localSeq + 1;
    if (seq > CSEQ_MAX) throw new RangeError('local CSeq exhausted (RFC 3261 §8.1.1.5: 32 bits)');
    this.localSeq = seq;
    return buildInDialogRequest(this.requestSource(), method, seq, opts);
  }

  /**
   * §13.2.2.4: the ACK for a 2xx to `invite` (initial or re-INVITE): built like any request in
   * the dialog, but with the INVITE's CSeq number and its credentials. It is remembered, so
   * that `ackFor(retransmitted2xx)` returns the very same ACK to re-send.
   */
  createAck(invite: SipRequest, opts: InDialogRequestOptions = {}): SipRequest {
    const seq = cseq(invite).seq;
    const headers: Array<readonly [string, string]> = [];
    for (const name of ['authorization', 'proxy-authorization']) for (const v of invite.headers.getAll(name)) headers.push([name, v]);
    const ack = buildInDialogRequest(this.requestSource(), 'ACK', seq, { ...opts, headers: [...headers, ...(opts.headers ?? [])] });
    this.lastAck = { seq, request: ack };
    return ack;
  }

  /** §13.2.2.4: the ACK already sent for this (retransmitted) 2xx, to send again; undefined if none yet. */
  ackFor(res: SipResponse): SipRequest | undefined {
    const ack = this.lastAck;
    return ack !== undefined && ack.seq === cseq(res).seq ? ack.request : undefined;
  }

  /**
   * §12.2.2: judges a request received in this dialog. ACK and CANCEL carry the CSeq of the
   * request they refer to and are not sequence-checked. Otherwise a sequence number not
   * greater than the remote one is out of order: 500 (the RFC mandates it for lower numbers;
   * an equal one is a different request with a reused number, as retransmissions never reach
   * the dialog). A target refresh with a Contact replaces the remote target.
   */
  receiveRequest(req: SipRequest): InDialogVerdict {
    if (this.state === 'terminated') return { ok: false, status: 481, reason: 'Call/Transaction Does Not Exist' };
    if (req.method === 'ACK' || req.method === 'CANCEL') return { ok: true, targetRefreshed: false };
    const seq = cseq(req).seq;
    if (this.remoteSeq !== undefined && seq <= this.remoteSeq) return { ok: false, status: 500, reason: 'CSeq Out of Order' };
    this.remoteSeq = seq;
    if (!isTargetRefresh(req.method)) return { ok: true, targetRefreshed: false };
    const target = contactUri(req);
    if (target === undefined) return { ok: true, targetRefreshed: false };
    this.remoteTarget = target;
    return { ok: true, targetRefreshed: true };
  }

  /**
   * §12.2.1.2: a response to a request we sent in this dialog. A 2xx to a target refresh
   * replaces the remote target with its Contact; a 481 or 408 terminates the dialog.
   * Returns the dialog state afterwards.
   */
  receiveResponse(res: SipResponse): DialogState {
    if (res.status === 481 || res.status === 408) this.state = 'terminated';
    else if (res.status >= 200 && res.status < 300 && isTargetRefresh(cseq(res).method)) {
      const target = contactUri(res);
      if (target !== undefined) this.remoteTarget = target;
    }
    return this.state;
  }

  /**
   * A response to the dialog-creating INVITE (used by DialogSet): its Contact updates the
   * remote target; a 2xx confirms the dialog and recomputes the route set from its
   * Record-Route (§13.2.2.4).
   */
  updateFromInviteResponse(res: SipResponse): void {
    const target = contactUri(res);
    if (target !== undefined) this.remoteTarget = target;
    if (res.status >= 200 && res.status < 300 && this.state === 'early') {
      this.state = 'confirmed';
      this.routeSet = recordRouteValues(res).reverse();
    }
  }

  /** The UAS sent its 2xx: early -> confirmed (§12.1.1, §13.3.1.4). */
  confirm(): void {
    if (this.state === 'terminated') throw new Error(`dialog ${this.key} is terminated`);
    this.state = 'confirmed';
  }

  terminate(): void {
    this.state = 'terminated';
  }

  private requestSource() {
    return {
      callId: this.id.callId,
      localTag: this.id.localTag,
      remoteTag: this.id.remoteTag,
      localUri: this.localUri,
      localDisplayName: this.localDisplayName,
      remoteUri: this.remoteUri,
      remoteDisplayName: this.remoteDisplayName,
      remoteTarget: this.remoteTarget,
      routeSet: this.routeSet,
      localContact: this.localContact,
    };
  }
}

/** URI of the first Contact, if any (a '*' or unreadable Contact counts as none). */
function contactUri(m: SipRequest | SipResponse): string | undefined {
  try {
    const c = contacts(m);
    return c === '*' ? undefined : c[0]?.uri;
  } catch {
    return undefined;
  }
}

function missingContact(req: SipRequest): never {
  throw new SipSyntaxError(`${req.method} creating a dialog has no usable Contact (RFC 3261 §8.1.1.8)`, 400);
}

/** §12.1.1 / §12.1.2: secure when the request went over TLS (or WSS) and its Request-URI is SIPS. */
function isSecure(req: SipRequest, flow: Flow | undefined): boolean {
  if (flow === undefined || (flow.protocol !== 'tls' && flow.protocol !== 'wss')) return false;
  try {
    return requestUri(req).scheme === 'sips';
  } catch {
    return false;
  }
}
