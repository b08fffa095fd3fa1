/**
 * Set-ups for the transfer tests (test/unit/calls/transfer*.test.ts): the call test world
 * with the real transfer handler (src/app/calls/transfer), Alice (1000: 1001), Bob (2000:
 * 2001) and Carol (3000: 3001, and 3002 when asked), plus REFER, Replaces and NOTIFY helpers
 * as a phone would write and read them.
 */
import { callId } from '../../../../src/sip/headers/call-id.js';
import { from, to } from '../../../../src/sip/headers/name-addr.js';
import type { SipRequest, SipResponse } from '../../../../src/sip/message.js';
import { CallTransfers } from '../../../../src/app/calls/transfer/call-transfers.js';
import type { Call } from '../../../../src/app/calls/call.js';
import { CallWorld, type WorldOptions } from './call-world.js';
import type { OutgoingCall, Phone, PhoneDialog } from './phone.js';

export interface TransferWorld {
  w: CallWorld;
  alice: Phone;
  bob: Phone;
  carol: Phone;
  /** Carol's second device, when `carolDevices: 2`. */
  carol2: Phone | undefined;
}

export function transferWorld(opts: WorldOptions & { carolDevices?: 1 | 2 } = {}): TransferWorld {
  const w = new CallWorld({ ...opts, transfers: new CallTransfers() });
  w.addUser('1000', 'Alice');
  w.addUser('2000', 'Bob');
  w.addUser('3000', 'Carol');
  return {
    w,
    alice: w.addPhone('1000', '1001'),
    bob: w.addPhone('2000', '2001'),
    carol: w.addPhone('3000', '3001'),
    carol2: opts.carolDevices === 2 ? w.addPhone('3000', '3002') : undefined,
  };
}

/** REFER in `d` with `referTo` as the Refer-To value (none when null) and more header fields. */
export function refer(d: PhoneDialog, referTo: string | null, headers: Array<[string, string]> = []): void {
  d.send('REFER', { headers: [...(referTo === null ? [] : ([['Refer-To', referTo]] as Array<[string, string]>)), ...headers] });
}

/** The REFER's final status. */
export function referStatus(d: PhoneDialog): number | undefined {
  return d.responsesTo('REFER').find((r) => r.status >= 200)?.status;
}

/** Replaces value naming the phone's dialog `d` the way the phone sees it: to-tag = the peer's (ours), from-tag = its own (RFC 3891 §7.1). */
export function replacesOf(d: PhoneDialog): string {
  const id = d.dialog.id;
  return `${id.callId};to-tag=${id.remoteTag};from-tag=${id.localTag}`;
}

/** Replaces value naming the early dialog of the phone's call `out` (its INVITE and our 180's To tag). */
export function replacesOfEarly(out: OutgoingCall): string {
  const ringing = out.responses.find((r) => r.status === 180)!;
  return `${callId(out.invite)};to-tag=${to(ringing).tag};from-tag=${from(out.invite).tag}`;
}

/** `<sip:number@pbx.test?Replaces=...>`, the Replaces escaped as a URI header (RFC 3261 §19.1.1). */
export function referToWithReplaces(number: string, replaces: string): string {
  return `<sip:${number}@pbx.test?Replaces=${encodeURIComponent(replaces)}>`;
}

export interface NotifySeen {
  frag: string;
  state: string;
  event: string;
  contentType: string;
}

export function notifies(d: PhoneDialog): NotifySeen[] {
  return d.requestsOf('NOTIFY').map((n: SipRequest) => ({
    frag: n.body.toString().trim(),
    state: n.headers.get('subscription-state') ?? '',
    event: n.headers.get('event') ?? '',
    contentType: n.headers.get('content-type') ?? '',
  }));
}

export function frags(d: PhoneDialog): string[] {
  return notifies(d).map((n) => n.frag);
}

/** The P-Asserted-Identity values of the requests `d` received (re-INVITE, UPDATE). */
export function assertedIdentities(d: PhoneDialog): Array<[string, string]> {
  return d.received.filter((r) => r.headers.has('p-asserted-identity')).map((r) => [r.method, r.headers.get('p-asserted-identity')!]);
}

export function onlyCall(w: CallWorld): Call {
  const calls = [...w.manager.calls.values()];
  if (calls.length !== 1) throw new Error(`${calls.length} live calls`);
  return calls[0]!;
}

export function finalOf(responses: SipResponse[], method: string): SipResponse | undefined {
  return responses.find((r) => r.status >= 200 && r.headers.get('cseq')!.endsWith(` ${method}`));
}
