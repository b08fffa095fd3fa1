import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DtmfHub, eventScale, toEventScale } from '../../../src/mixer/worker/dtmf-hub.js';
import type { Endpoint } from '../../../src/mixer/endpoint/endpoint.js';
import type { WorkerEvent } from '../../../src/mixer/channel/protocol.js';
import { OPUS } from '../../../src/rtp/codec/opus.js';
import { newTelephoneEvent, parseTelephoneEvent } from '../../../src/rtp/dtmf/telephone-event.js';
import { newRtpPacketView, unmarshalRtp } from '../../../src/rtp/packet.js';

interface SentEvent {
  ts: number;
  marker: boolean;
  duration: number;
  end: boolean;
}

/** What DtmfHub reads of an endpoint: an Opus leg with telephone-event at `teRate`. */
function opusLeg(teRate: number) {
  const sent: SentEvent[] = [];
  const ep = {
    id: 'ep',
    telephoneEventClockRate: teRate,
    sendCodec: OPUS,
    outbound: { nextTimestamp: 960000 },
    sendEvent(payload: Uint8Array, ts: number, marker: boolean) {
      const ev = newTelephoneEvent();
      parseTelephoneEvent(payload, 0, payload.length, ev);
      sent.push({ ts, marker, duration: ev.duration, end: ev.end });
    },
  };
  return { ep: ep as unknown as Endpoint, sent, audio: ep.outbound };
}

function eventPacket(ts: number, code: number, duration: number, end: boolean, marker = false): Buffer {
  const b = Buffer.alloc(16);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | 101;
  b.writeUInt32BE(ts, 4);
  b[12] = code;
  b[13] = (end ? 0x80 : 0) | 10;
  b.writeUInt16BE(duration, 14);
  return b;
}

test('scale between the audio timeline and the telephone-event clock', () => {
  assert.is(eventScale(48000, 8000), 6);
  assert.is(eventScale(8000, 8000), 1);
  assert.is(toEventScale(4800000, 6), 800000);
  assert.is(toEventScale(4800000, 1), 4800000);
});

test('sending on opus/48000 with telephone-event/8000: durations count at 8000 Hz, the start is the audio\'s next timestamp (RFC 4733 §2.1, §7.1.1)', () => {
  const { ep, sent, audio } = opusLeg(8000);
  const hub = new DtmfHub(20, () => undefined);
  hub.send(ep, '5', 100);
  for (let i = 0; i < 12; i++) {
    hub.tick(0, () => ep);
    audio.nextTimestamp += 960;
  }
  assert.ok(sent.length >= 4);
  assert.ok(sent.every((e) => e.ts === 960000), 'every packet carries the start timestamp of the 48 kHz audio timeline');
  assert.ok(sent[0]!.marker);
  const last = sent[sent.length - 1]!;
  assert.equal([last.end, last.duration], [true, 800], '100 ms = 800 units at the event clock, not 4800');
});

test('the same on telephone-event/48000: 4800 units', () => {
  const { ep, sent } = opusLeg(48000);
  const hub = new DtmfHub(20, () => undefined);
  hub.send(ep, '5', 100);
  for (let i = 0; i < 12; i++) hub.tick(0, () => ep);
  assert.is(sent[sent.length - 1]!.duration, 4800);
});

test('a segment after 0xFFFF event units starts 0xFFFF x 6 later on the 48 kHz timeline (RFC 4733 §2.5.1.3)', () => {
  const { ep, sent, audio } = opusLeg(8000);
  const hub = new DtmfHub(20, () => undefined);
  hub.send(ep, '1', 9000); // 72000 units at 8 kHz: two segments
  for (let i = 0; i < 500; i++) {
    hub.tick(0, () => ep);
    audio.nextTimestamp += 960;
  }
  const starts = [...new Set(sent.map((e) => e.ts))];
  assert.equal(starts, [960000, 960000 + 0xffff * 6]);
});

test('receiving on opus/48000 with telephone-event/8000: an 800-unit digit lasts 100 ms', () => {
  const { ep } = opusLeg(8000);
  const events: WorkerEvent[] = [];
  const hub = new DtmfHub(20, (e) => events.push(e));
  const v = newRtpPacketView();
  for (let i = 1; i <= 5; i++) {
    const end = i >= 3;
    const pkt = eventPacket(4800000, 9, Math.min(i, 3) * 400 - (i >= 3 ? 400 : 0), end, i === 1);
    unmarshalRtp(pkt, pkt.length, v);
    hub.received(ep, pkt, v, i * 20);
  }
  const digits = events.filter((e) => e.event === 'dtmf');
  assert.equal(digits, [{ event: 'dtmf', endpointId: 'ep', digit: '9', durationMs: 100 }]);
});

test.run();
