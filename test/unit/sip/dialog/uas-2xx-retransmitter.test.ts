import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Uas2xxRetransmitter } from '../../../../src/sip/dialog/uas-2xx-retransmitter.js';
import { createResponse } from '../../../../src/sip/response.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { flow, request } from '../../../support/sip-builders.js';

const udp = flow('udp', '198.51.100.7');
const invite = request('INVITE', { from: '<sip:alice@a.example>;tag=a1', callId: 'r@a', cseq: 3, via: ['SIP/2.0/UDP 198.51.100.7;branch=z9hG4bKr'] });
const ok = createResponse(invite, 200, undefined, { toTag: 'b1' });
const ack = (cseq = 3, toTag = 'b1') => request('ACK', { from: '<sip:alice@a.example>;tag=a1', to: `<sip:bob@b.example>;tag=${toTag}`, callId: 'r@a', cseq });

/** Fires each deadline at its exact instant until `end` (ms after t0); returns re-send times. */
function run(r: Uas2xxRetransmitter, clock: FakeClock, t0: number, end: number): { sends: number[]; events: Array<[number, string]> } {
  const sends: number[] = [];
  const events: Array<[number, string]> = [];
  for (;;) {
    const next = r.pollTimeout();
    if (next === undefined || next > t0 + end) break;
    clock.set(next);
    r.handleTimeout(next);
    for (let x = r.pollTransmit(); x; x = r.pollTransmit()) sends.push(clock.now() - t0);
    for (let e = r.pollEvent(); e; e = r.pollEvent()) events.push([clock.now() - t0, e.type]);
  }
  return { sends, events };
}

test('the 2xx is re-sent at T1 doubling up to T2 until 64*T1, then ack-timeout (RFC 3261 §13.3.1.4)', () => {
  const clock = new FakeClock();
  const r = new Uas2xxRetransmitter({ clock });
  const t0 = clock.now();
  r.start(ok, udp);
  const { sends, events } = run(r, clock, t0, 60_000);
  assert.equal(sends, [500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  assert.equal(events, [[32_000, 'ack-timeout']], 'the TU should now send BYE');
  assert.is(r.size, 0);
});

test('retransmissions also run over TCP: a UDP hop may follow (RFC 3261 §13.3.1.4)', () => {
  const clock = new FakeClock();
  const r = new Uas2xxRetransmitter({ clock });
  r.start(ok, flow('tcp', '198.51.100.7'));
  assert.is(r.pollTimeout(), clock.now() + 500);
});

test('the ACK of that 2xx (same dialog, same CSeq number) stops retransmissions (RFC 3261 §13.3.1.4)', () => {
  const clock = new FakeClock();
  const r = new Uas2xxRetransmitter({ clock });
  const t0 = clock.now();
  r.start(ok, udp);
  run(r, clock, t0, 2000);
  assert.not.ok(r.ack(ack(2)), 'another CSeq number');
  assert.not.ok(r.ack(ack(3, 'other')), 'another dialog');
  assert.ok(r.ack(ack()));
  assert.not.ok(r.ack(ack()), 'a second ACK finds nothing');
  assert.is(r.pollTimeout(), undefined);
  assert.equal(run(r, clock, t0, 60_000), { sends: [], events: [] });
});

test('T1 and T2 options scale the schedule; only 2xx are accepted', () => {
  const clock = new FakeClock();
  const r = new Uas2xxRetransmitter({ clock, t1: 100, t2: 300 });
  const t0 = clock.now();
  r.start(ok, udp);
  const { sends, events } = run(r, clock, t0, 10_000);
  assert.equal(sends.slice(0, 5), [100, 300, 600, 900, 1200]);
  assert.equal(events, [[6400, 'ack-timeout']]);
  assert.throws(() => r.start(createResponse(invite, 486), udp), /only 2xx/);
});

test.run();
