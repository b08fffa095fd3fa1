import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  parseTelephoneEvent,
  formatTelephoneEvent,
  newTelephoneEvent,
  charToEvent,
  eventToChar,
} from '../../../src/rtp/dtmf/telephone-event.js';
import { DtmfReceiver, type DtmfDigit } from '../../../src/rtp/dtmf/dtmf-receiver.js';
import { DtmfSender } from '../../../src/rtp/dtmf/dtmf-sender.js';

function ev(event: number, end: boolean, duration: number, volume = 10): Uint8Array {
  const b = new Uint8Array(4);
  formatTelephoneEvent({ event, end, volume, duration }, b);
  return b;
}

interface Sent {
  tick: number;
  marker: boolean;
  timestamp: number;
  end: boolean;
  duration: number;
  bytes: number[];
}

/** Run a sender for `ticks` 20 ms ticks at 8 kHz starting at media timestamp `ts0`. */
function run(sender: DtmfSender, ticks: number, ts0 = 1000): Sent[] {
  const out: Sent[] = [];
  const buf = new Uint8Array(4);
  for (let t = 0; t < ticks; t++) {
    const p = sender.poll(ts0 + t * 160, buf);
    if (p) out.push({ tick: t, marker: p.marker, timestamp: p.timestamp, end: p.end, duration: p.duration, bytes: Array.from(buf) });
  }
  return out;
}

test('payload layout: event, E bit, volume, duration (RFC 4733 §2.3)', () => {
  assert.equal(Array.from(ev(5, true, 800, 10)), [0x05, 0x8a, 0x03, 0x20]);
  const out = newTelephoneEvent();
  assert.ok(parseTelephoneEvent(new Uint8Array([0x0b, 0x4f, 0xff, 0xff]), 0, 4, out));
  assert.equal(out, { event: 11, end: false, volume: 15, duration: 65535 }, 'R bit ignored (§2.3.4)');
  assert.not.ok(parseTelephoneEvent(new Uint8Array(3), 0, 3, out));
});

test('event codes: 0-9, *, #, A-D and flash (RFC 4733 §3.2, RFC 4734 §3.2)', () => {
  assert.is(charToEvent('*'), 10);
  assert.is(charToEvent('#'), 11);
  assert.is(charToEvent('d'), 15);
  assert.is(charToEvent('!'), 16);
  assert.is(charToEvent('x'), -1);
  assert.is(eventToChar(11), '#');
  assert.is(eventToChar(40), '');
});

test('receiver: start, updates and three end packets give one digit with its duration (§2.5.1.4)', () => {
  const r = new DtmfReceiver(8000);
  const ts = 12345;
  const got: Array<DtmfDigit | undefined> = [];
  got.push(r.push(ts, ev(7, false, 160), 0));
  assert.is(r.current, '7');
  got.push(r.push(ts, ev(7, false, 560), 50));
  got.push(r.push(ts, ev(7, true, 800), 80));
  got.push(r.push(ts, ev(7, true, 800), 130));
  got.push(r.push(ts, ev(7, true, 800), 180));
  const digits = got.filter((d) => d);
  assert.is(digits.length, 1);
  assert.equal(digits[0], { digit: '7', event: 7, timestamp: ts, durationMs: 100, volume: 10, endedBy: 'end-bit' });
  assert.is(r.current, '');
});

test('receiver: reordered and retransmitted packets after the end are ignored', () => {
  const r = new DtmfReceiver();
  const a = r.push(500, ev(1, true, 800), 0);
  assert.is(a?.digit, '1');
  assert.is(r.push(500, ev(1, false, 400), 5), undefined, 'late update of a finished event');
  assert.is(r.push(500, ev(1, true, 800), 10), undefined);
  assert.is(r.poll(10_000), undefined, 'nothing left to time out');
});

test('receiver: when every end packet is lost, the next event or the timeout closes the digit', () => {
  const r = new DtmfReceiver(8000, 500);
  r.push(1000, ev(2, false, 160), 0);
  r.push(1000, ev(2, false, 640), 60);
  const closed = r.push(3000, ev(3, false, 160), 300);
  assert.equal([closed?.digit, closed?.durationMs, closed?.endedBy], ['2', 80, 'next-event']);
  assert.is(r.poll(700), undefined);
  const timedOut = r.poll(800);
  assert.equal([timedOut?.digit, timedOut?.endedBy], ['3', 'timeout']);
});

test('sender: marker on the first packet, one timestamp, growing duration, E three times (§2.5.1)', () => {
  const s = new DtmfSender({ clockRate: 8000, tickMs: 20, updateIntervalMs: 50 });
  s.send('5', 100);
  assert.ok(s.busy);
  const sent = run(s, 20);
  assert.equal(
    sent.map((p) => [p.tick, p.marker, p.end, p.duration]),
    [
      [0, true, false, 160],
      [3, false, false, 640],
      [4, false, true, 800],
      [7, false, true, 800],
      [10, false, true, 800],
    ],
  );
  assert.ok(sent.every((p) => p.timestamp === 1000), 'all carry the start timestamp');
  assert.equal(sent[2]!.bytes, [5, 0x80 | 10, 0x03, 0x20]);
  assert.not.ok(s.busy);
});

test('sender -> receiver: a digit string arrives once per digit, in order, with durations', () => {
  const s = new DtmfSender();
  s.send('12#9', 120);
  const r = new DtmfReceiver();
  const got: DtmfDigit[] = [];
  const buf = new Uint8Array(4);
  for (let t = 0; t < 200; t++) {
    const p = s.poll(t * 160, buf);
    if (p) {
      const d = r.push(p.timestamp, buf.slice(0, p.length), t * 20);
      if (d) got.push(d);
    }
  }
  assert.equal(
    got.map((d) => [d.digit, d.durationMs]),
    [
      ['1', 120],
      ['2', 120],
      ['#', 120],
      ['9', 120],
    ],
  );
  const starts = got.map((d) => d.timestamp);
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! > starts[i - 1]! + 960, 'a gap between digits');
});

test('a 10 s event is sent in 0xFFFF segments and received as one digit (§2.5.1.3)', () => {
  const s = new DtmfSender();
  s.send('0', 10_000);
  const r = new DtmfReceiver();
  const got: DtmfDigit[] = [];
  const markers: number[] = [];
  const timestamps = new Set<number>();
  const buf = new Uint8Array(4);
  for (let t = 0; t < 600; t++) {
    const p = s.poll(t * 160, buf);
    if (!p) continue;
    if (p.marker) markers.push(t);
    timestamps.add(p.timestamp);
    const d = r.push(p.timestamp, buf.slice(0, 4), t * 20);
    if (d) got.push(d);
  }
  assert.equal(markers, [0], 'only the first segment has the marker');
  assert.equal([...timestamps], [0, 65535]);
  assert.is(got.length, 1);
  assert.is(got[0]!.durationMs, 10_000);
});

test('sending a character that is not a DTMF digit is an error', () => {
  assert.throws(() => new DtmfSender().send('1x'), RangeError);
});

test.run();
