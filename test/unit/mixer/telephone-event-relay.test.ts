import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TelephoneEventRelay, type EventClocks } from '../../../src/mixer/relay/telephone-event-relay.js';
import { formatTelephoneEvent, parseTelephoneEvent, newTelephoneEvent } from '../../../src/rtp/dtmf/telephone-event.js';

const PCMU: EventClocks = { audioRate: 8000, eventRate: 8000 };
const OPUS_TE8K: EventClocks = { audioRate: 48000, eventRate: 8000 };
const OPUS_TE48K: EventClocks = { audioRate: 48000, eventRate: 48000 };

function event(code: number, duration: number, end = false): Uint8Array {
  const buf = new Uint8Array(4);
  formatTelephoneEvent({ event: code, end, volume: 10, duration }, buf);
  return buf;
}

function relay(r: TelephoneEventRelay, payload: Uint8Array, srcTs: number, from: EventClocks, to: EventClocks, outNextTs: number) {
  const e = r.translate(payload, srcTs, from, to, outNextTs)!;
  const ev = newTelephoneEvent();
  parseTelephoneEvent(r.payload, 0, 4, ev);
  return { ts: e.timestamp, marker: e.marker, code: ev.event, duration: ev.duration, end: ev.end, volume: ev.volume };
}

test('same clocks: the event goes out on the outgoing audio timeline, durations unchanged, marker on the first packet only (RFC 4733 §2.5.1.1)', () => {
  const r = new TelephoneEventRelay();
  assert.equal(relay(r, event(5, 160), 1000, PCMU, PCMU, 90000), { ts: 90000, marker: true, code: 5, duration: 160, end: false, volume: 10 });
  assert.equal(relay(r, event(5, 480), 1000, PCMU, PCMU, 90480), { ts: 90000, marker: false, code: 5, duration: 480, end: false, volume: 10 }, 'every packet of the event keeps its start');
  assert.equal(relay(r, event(5, 800, true), 1000, PCMU, PCMU, 90800), { ts: 90000, marker: false, code: 5, duration: 800, end: true, volume: 10 });
  assert.equal(relay(r, event(5, 800, true), 1000, PCMU, PCMU, 90800).end, true, 'end packets repeated (§2.5.1.4)');
  assert.equal(relay(r, event(7, 160), 5000, PCMU, PCMU, 94000), { ts: 94000, marker: true, code: 7, duration: 160, end: false, volume: 10 }, 'a new timestamp is a new event');
});

test('opus leg with telephone-event/8000: durations stay in 8000 Hz units, the timestamp is on the 48 kHz audio timeline (RFC 4733 §2.1, §7.1.1)', () => {
  const r = new TelephoneEventRelay();
  const out = relay(r, event(1, 800, true), 1000, PCMU, OPUS_TE8K, 960000);
  assert.equal([out.ts, out.duration], [960000, 800]);
  const back = new TelephoneEventRelay();
  assert.equal(relay(back, event(1, 800, true), 4800000, OPUS_TE8K, PCMU, 16000).duration, 800, 'and back: 100 ms is 800 units at 8000 Hz');
});

test('opus leg with telephone-event/48000: a 100 ms digit is 4800 units there', () => {
  const r = new TelephoneEventRelay();
  assert.is(relay(r, event(1, 800, true), 1000, PCMU, OPUS_TE48K, 0).duration, 4800);
  const back = new TelephoneEventRelay();
  assert.is(relay(back, event(1, 4800, true), 0, OPUS_TE48K, PCMU, 0).duration, 800);
});

test('a long event is segmented on the outgoing side when its duration passes 0xFFFF units (RFC 4733 §2.5.1.3)', () => {
  const r = new TelephoneEventRelay();
  // 8000 Hz source: 11000 units (1.375 s) are 66000 units at 48000 Hz.
  assert.equal(relay(r, event(2, 10000), 500, PCMU, OPUS_TE48K, 7000), { ts: 7000, marker: true, code: 2, duration: 60000, end: false, volume: 10 });
  assert.equal(relay(r, event(2, 11000), 500, PCMU, OPUS_TE48K, 70000), { ts: 7000, marker: false, code: 2, duration: 0xffff, end: false, volume: 10 }, 'the segment closes at 0xFFFF');
  assert.equal(relay(r, event(2, 12000, true), 500, PCMU, OPUS_TE48K, 80000), { ts: 7000 + 0xffff, marker: false, code: 2, duration: 72000 - 0xffff, end: true, volume: 10 }, 'the next segment starts 0xFFFF later, without marker');
});

test('a source segment that continues the event (timestamp + 0xFFFF, same code) adds to the same outgoing event', () => {
  const r = new TelephoneEventRelay();
  relay(r, event(3, 0xffff), 100, PCMU, PCMU, 50000);
  const next = relay(r, event(3, 800), 100 + 0xffff, PCMU, PCMU, 120000);
  assert.equal([next.ts, next.duration, next.marker], [50000, 0xffff, false], 'closes the outgoing segment first');
  const after = relay(r, event(3, 1600, true), 100 + 0xffff, PCMU, PCMU, 121000);
  assert.equal([after.ts, after.duration, after.end], [50000 + 0xffff, 1600, true]);
});

test('malformed payloads are not relayed', () => {
  assert.is(new TelephoneEventRelay().translate(new Uint8Array(2), 0, PCMU, PCMU, 0), null);
});

test.run();
