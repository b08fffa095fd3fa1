/**
 * Scripted phones for call-control tests: small SIP user agents on the in-memory network,
 * written with the project's own pieces (TransactionLayer, Dialog, DialogSet, createResponse,
 * the Digest client). A phone places calls (answering the switch's 407), and receives them:
 * the test rings, answers or refuses each incoming INVITE, and every request in a dialog is
 * recorded and answered as a plain phone would (BYE 200, re-INVITE 200 with a mirrored SDP).
 */
import { answerChallenge } from '../../../../src/sip/auth/digest-client.js';
import { Dialog } from '../../../../src/sip/dialog/dialog.js';
import { dialogKey, newTag } from '../../../../src/sip/dialog/dialog-id.js';
import { DialogSet } from '../../../../src/sip/dialog/dialog-set.js';
import { isMidDialog } from '../../../../src/sip/dialog/dialog-table.js';
import { callId } from '../../../../src/sip/headers/call-id.js';
import { from, to } from '../../../../src/sip/headers/name-addr.js';
import { HeaderList, SipRequest, type SipResponse } from '../../../../src/sip/message.js';
import { createResponse } from '../../../../src/sip/response.js';
import type { ClientTransaction, ServerTransaction, TransactionEvent } from '../../../../src/sip/transaction/transaction-layer.js';
import type { BindingRecord } from '../../../../src/sip/registrar/binding-store.js';
import type { Flow } from '../../../../src/sip/transport/flow.js';
import type { NetworkNode } from '../../../support/lossy-network.js';
import { phoneSdp, type PhoneSdpSpec } from './phone-sdp.js';

export interface PhoneOptions {
  ext: string;
  password: string;
  domain: string;
  /** The switch's node (where INVITEs go). */
  server: NetworkNode;
}

type Answer = { status: number; body?: string; headers?: Array<[string, string]> };

/** One dialog of a phone (either direction), with what it received and got back. */
export class PhoneDialog {
  readonly received: SipRequest[] = [];
  readonly responses: SipResponse[] = [];
  readonly acks: SipRequest[] = [];
  ended = false;
  /** How the phone answers a re-INVITE or UPDATE (default: 200, SDP mirrored from the offer). */
  onOffer: ((req: SipRequest) => Answer) | undefined;
  constructor(
    readonly phone: Phone,
    readonly dialog: Dialog,
  ) {
    phone.dialogs.set(dialog.key, this);
  }

  requestsOf(method: string): SipRequest[] {
    return this.received.filter((r) => r.method === method);
  }

  responsesTo(method: string): SipResponse[] {
    return this.responses.filter((r) => r.headers.get('cseq')!.endsWith(` ${method}`));
  }

  /** Sends a request in the dialog; an INVITE's 2xx is ACKed (with `ackBody` when given). */
  send(method: string, opts: { body?: string; contentType?: string; headers?: Array<[string, string]>; ackBody?: string } = {}): ClientTransaction {
    const req = this.dialog.createRequest(method, {
      ...(opts.body !== undefined ? { body: opts.body, contentType: opts.contentType ?? 'application/sdp' } : {}),
      headers: opts.headers ?? [],
      contact: this.phone.contact,
    });
    return this.phone.send(req, (res) => {
      this.responses.push(res);
      if (method === 'INVITE' && res.status >= 200 && res.status < 300) {
        const ack = this.dialog.createAck(req, opts.ackBody !== undefined ? { body: opts.ackBody, contentType: 'application/sdp' } : {});
        this.phone.sendStateless(ack);
      }
      if (method === 'BYE' && res.status >= 200) this.ended = true;
    });
  }

  bye(): void {
    this.send('BYE');
  }

  /** 200 with the phone's own SDP: an answer with the direction mirrored (RFC 3264 §6.1), or an offer when there was none. */
  private defaultAnswer(req: SipRequest): Answer {
    if (req.body.length === 0) return req.method === 'INVITE' ? { status: 200, body: this.phone.sdp() } : { status: 200 };
    const dir = /a=(sendrecv|sendonly|recvonly|inactive)/.exec(req.body.toString())?.[1] ?? 'sendrecv';
    const mirrored = dir === 'sendonly' ? 'recvonly' : dir === 'recvonly' ? 'sendonly' : dir;
    return { status: 200, body: this.phone.sdp({ direction: mirrored as 'sendrecv' }) };
  }

  handle(req: SipRequest, tx: ServerTransaction): void {
    this.received.push(req);
    const v = this.dialog.receiveRequest(req);
    if (!v.ok) return this.phone.respond(tx, createResponse(req, v.status));
    if (req.method === 'BYE') {
      this.ended = true;
      return this.phone.respond(tx, createResponse(req, 200));
    }
    if (req.method === 'INVITE' || req.method === 'UPDATE') {
      const a = this.onOffer?.(req) ?? this.defaultAnswer(req);
      const res = createResponse(req, a.status);
      res.headers.append('Contact', this.phone.contact);
      for (const [k, v2] of a.headers ?? []) res.headers.append(k, v2);
      if (a.body !== undefined) {
        res.body = Buffer.from(a.body);
        res.headers.append('Content-Type', 'application/sdp');
      }
      return this.phone.respond(tx, res);
    }
    this.phone.respond(tx, createResponse(req, 200));
  }
}

/** An INVITE the phone received: the test rings, answers or refuses it. */
export class IncomingCall {
  readonly tag = newTag();
  dialog: PhoneDialog | undefined;
  cancel: SipRequest | undefined;
  constructor(
    readonly phone: Phone,
    readonly invite: SipRequest,
    readonly tx: ServerTransaction,
  ) {}

  get offer(): string {
    return this.invite.body.toString();
  }

  ring(status = 180, body?: string): void {
    const res = this.response(status);
    if (body !== undefined) attach(res, body);
    this.phone.respond(this.tx, res);
  }

  /** 200 with `body` (the phone's SDP by default; null: no body). */
  answer(body: string | null = this.phone.sdp(), headers: Array<[string, string]> = []): PhoneDialog {
    const res = this.response(200);
    for (const [k, v] of headers) res.headers.append(k, v);
    if (body !== null) attach(res, body);
    this.phone.respond(this.tx, res);
    this.dialog = new PhoneDialog(this.phone, Dialog.uas(this.invite, { localTag: this.tag, localContact: this.phone.contact, state: 'confirmed' }));
    return this.dialog;
  }

  refuse(status: number): void {
    this.phone.respond(this.tx, this.response(status));
  }

  private response(status: number): SipResponse {
    const res = createResponse(this.invite, status, undefined, { toTag: this.tag });
    res.headers.append('Contact', this.phone.contact);
    res.headers.append('Allow', this.phone.allow);
    return res;
  }
}

/** A call the phone placed. */
export class OutgoingCall {
  readonly responses: SipResponse[] = [];
  dialog: PhoneDialog | undefined;
  set: DialogSet;
  tx!: ClientTransaction;
  constructor(
    readonly phone: Phone,
    public invite: SipRequest,
    readonly ackBody: string | undefined,
  ) {
    this.set = new DialogSet(invite);
  }

  get statuses(): number[] {
    return this.responses.map((r) => r.status);
  }

  get final(): SipResponse | undefined {
    const seq = this.invite.headers.get('cseq');
    return this.responses.filter((r) => r.status >= 200 && r.headers.get('cseq') === seq).at(-1);
  }

  cancelCall(): void {
    this.phone.cancel(this.tx);
  }
}

export class Phone {
  readonly incoming: IncomingCall[] = [];
  readonly outgoing: OutgoingCall[] = [];
  readonly dialogs = new Map<string, PhoneDialog>();
  /** Allow of the phone's INVITEs and responses (RFC 3261 §20.5). */
  allow = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE';
  /** What to do with a new INVITE (default: 180 Ringing). */
  onInvite: (c: IncomingCall) => void = (c) => c.ring();
  private readonly pending = new Map<ClientTransaction, (res: SipResponse) => void>();
  private calls = 0;

  constructor(
    readonly node: NetworkNode,
    readonly opts: PhoneOptions,
  ) {
    node.tu = (e) => this.event(e);
  }

  get ext(): string {
    return this.opts.ext;
  }

  get contact(): string {
    return `<sip:${this.opts.ext}@${this.node.address}:${this.node.port}>`;
  }

  /** The binding a REGISTER from this phone would have made. */
  binding(now: number, over: Partial<BindingRecord> = {}): BindingRecord {
    const flow: Flow = { protocol: 'udp', remoteAddress: this.node.address, remotePort: this.node.port, localAddress: this.opts.server.address, localPort: this.opts.server.port };
    return { aor: this.opts.ext, contact: `sip:${this.opts.ext}@${this.node.address}:${this.node.port}`, callId: `reg-${this.opts.ext}`, cseq: 1, expiresAt: now + 3_600_000, path: [], flow, updatedAt: now, ...over };
  }

  sdp(spec: Partial<PhoneSdpSpec> = {}): string {
    return phoneSdp({ port: 40000 + Number(this.opts.ext.replace(/\D/g, '').slice(-3) || 0) * 2, ...spec }, this.node.address);
  }

  /** Dials `number` (the INVITE carries `body`, or none when `body` is null). */
  call(number: string, body: string | null = this.sdp(), opts: { headers?: Array<[string, string]>; ackBody?: string } = {}): OutgoingCall {
    const h = new HeaderList();
    h.append('Max-Forwards', '70');
    h.append('From', `<sip:${this.opts.ext}@${this.opts.domain}>;tag=${newTag()}`);
    h.append('To', `<sip:${number}@${this.opts.domain}>`);
    h.append('Call-ID', `out-${this.opts.ext}-${++this.calls}@${this.node.address}`);
    h.append('CSeq', '1 INVITE');
    h.append('Contact', this.contact);
    h.append('Allow', this.allow);
    for (const [k, v] of opts.headers ?? []) h.append(k, v);
    if (body !== null) h.append('Content-Type', 'application/sdp');
    const invite = new SipRequest('INVITE', `sip:${number}@${this.opts.domain}`, h, Buffer.from(body ?? ''));
    const call = new OutgoingCall(this, invite, opts.ackBody);
    this.outgoing.push(call);
    this.sendInvite(call);
    return call;
  }

  // ------------------------------------------------------------------ plumbing

  send(req: SipRequest, onResponse: (res: SipResponse) => void): ClientTransaction {
    const tx = this.node.layer.sendRequest(req, this.node.flowTo(this.opts.server));
    this.pending.set(tx, onResponse);
    return tx;
  }

  sendStateless(req: SipRequest): void {
    this.node.layer.sendStateless(req, this.node.flowTo(this.opts.server));
  }

  respond(tx: ServerTransaction, res: SipResponse): void {
    this.node.layer.respond(tx, res);
  }

  cancel(tx: ClientTransaction): void {
    this.node.layer.cancel(tx);
  }

  private sendInvite(call: OutgoingCall): void {
    call.tx = this.send(call.invite, (res) => this.inviteResponse(call, res));
  }

  private inviteResponse(call: OutgoingCall, res: SipResponse): void {
    call.responses.push(res);
    if (res.status === 407 && !call.invite.headers.has('proxy-authorization')) {
      const challenge = res.headers.get('proxy-authenticate')!;
      const again = copyWithNextCSeq(call.invite);
      again.headers.append('Proxy-Authorization', answerChallenge(challenge, { username: this.opts.ext, password: this.opts.password, method: 'INVITE', uri: call.invite.uri }));
      call.invite = again;
      call.set = new DialogSet(again);
      this.sendInvite(call);
      return;
    }
    const up = call.set.receiveResponse(res);
    if (up.kind === 'confirmed' && call.dialog === undefined) {
      call.dialog = new PhoneDialog(this, up.dialog);
      this.sendStateless(up.dialog.createAck(call.invite, call.ackBody !== undefined ? { body: call.ackBody, contentType: 'application/sdp' } : {}));
    } else if (up.kind === 'retransmission' && up.ack) this.sendStateless(up.ack);
  }

  private event(e: TransactionEvent): void {
    if (e.type === 'response') return this.pending.get(e.tx)?.(e.response);
    if (e.type === 'ack') {
      this.dialogs.get(keyOf(e.request))?.acks.push(e.request);
      return;
    }
    if (e.type !== 'request') return;
    const req = e.request;
    if (req.method === 'CANCEL') return this.cancelled(req, e.tx);
    if (req.method === 'INVITE' && !isMidDialog(req)) {
      const c = new IncomingCall(this, req, e.tx);
      this.incoming.push(c);
      return this.onInvite(c);
    }
    const d = this.dialogs.get(keyOf(req));
    if (!d) return this.respond(e.tx, createResponse(req, 481));
    d.handle(req, e.tx);
  }

  private cancelled(req: SipRequest, tx: ServerTransaction): void {
    const c = this.incoming.find((i) => callId(i.invite) === callId(req) && i.dialog === undefined);
    this.respond(tx, createResponse(req, c ? 200 : 481));
    if (!c) return;
    c.cancel = req;
    this.respond(c.tx, createResponse(c.invite, 487, undefined, { toTag: c.tag }));
  }
}

function keyOf(req: SipRequest): string {
  return dialogKey({ callId: callId(req), localTag: to(req).tag ?? '', remoteTag: from(req).tag ?? '' });
}

function attach(res: SipResponse, body: string): void {
  res.body = Buffer.from(body);
  res.headers.append('Content-Type', 'application/sdp');
}

function copyWithNextCSeq(req: SipRequest): SipRequest {
  const h = new HeaderList();
  for (let i = 0; i < req.headers.size; i++) {
    const key = req.headers.keyAt(i);
    if (key === 'via') continue;
    if (key === 'cseq') h.append('CSeq', `${Number(req.headers.valueAt(i).split(' ')[0]) + 1} INVITE`);
    else h.append(req.headers.nameAt(i), req.headers.valueAt(i));
  }
  return new SipRequest(req.method, req.uri, h, req.body);
}
