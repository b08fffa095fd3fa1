/** Set-ups shared by the call-control tests. */
import type { PacketRecord } from '../../../support/lossy-network.js';
import { CallWorld, type WorldOptions } from './call-world.js';
import type { IncomingCall, OutgoingCall, Phone, PhoneDialog } from './phone.js';

export interface TwoPhones {
  w: CallWorld;
  alice: Phone;
  bob: Phone;
}

/** Alice (user 1000, phone 1001) and Bob (user 2000, phone 2001). */
export function twoPhones(opts: WorldOptions = {}): TwoPhones {
  const w = new CallWorld(opts);
  w.addUser('1000', 'Alice');
  w.addUser('2000', 'Bob');
  return { w, alice: w.addPhone('1000', '1001'), bob: w.addPhone('2000', '2001') };
}

export interface Established {
  out: OutgoingCall;
  inc: IncomingCall;
  /** The caller's dialog with the switch (A-leg). */
  a: PhoneDialog;
  /** The callee's dialog with the switch (B-leg). */
  b: PhoneDialog;
}

/** `caller` dials `number`, `callee` answers with `answer` (its default SDP), everything ACKed. */
export async function establish(w: CallWorld, caller: Phone, callee: Phone, number: string, opts: { offer?: string | null; answer?: string } = {}): Promise<Established> {
  const out = caller.call(number, opts.offer === undefined ? caller.sdp() : opts.offer);
  await w.run(100);
  const inc = callee.incoming.at(-1);
  if (!inc) throw new Error(`${callee.ext} did not ring`);
  const b = inc.answer(opts.answer ?? callee.sdp());
  await w.run(100);
  if (!out.dialog) throw new Error(`the call was not answered: ${out.statuses.join(' ')}`);
  return { out, inc, a: out.dialog, b };
}

/** The text of a packet. */
export function text(p: PacketRecord): string {
  return p.data.toString('latin1');
}

/** A header value of a packet (first occurrence), or undefined. */
export function header(p: PacketRecord, name: string): string | undefined {
  const m = new RegExp(`\\r\\n${name}:\\s*([^\\r]*)`, 'i').exec(text(p));
  return m?.[1];
}
