import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StreamRewriter } from '../../../src/mixer/relay/stream-rewriter.js';

/** An outgoing stream as OutboundRtp keeps it: next sequence and timestamp. */
class Out {
  constructor(
    public seq: number,
    public ts: number,
  ) {}
  /** What a forward of (seq, ts) leaves behind (late packets do not move it back). */
  forwarded(seq: number, ts: number, step: number): void {
    if ((((seq + 1 - this.seq) << 16) >> 16) > 0) this.seq = (seq + 1) & 0xffff;
    if (((ts + step - this.ts) | 0) > 0) this.ts = (ts + step) >>> 0;
  }
}

function relay(rw: StreamRewriter, out: Out, seq: number, ts: number, route = 1, srcRate = 8000, outRate = 8000): [number, number, boolean] {
  rw.map(seq, ts, srcRate, outRate, route, out.seq, out.ts);
  const r: [number, number, boolean] = [rw.seq, rw.ts, rw.reanchored];
  out.forwarded(rw.seq, rw.ts, 160);
  rw.sent(out.seq);
  return r;
}

test('the first packet anchors on the outgoing stream; gaps and reordering of the source stay visible (RFC 3550 §5.1, RFC 7667 §3.2.1.1)', () => {
  const rw = new StreamRewriter();
  const out = new Out(1000, 50000);
  assert.equal(relay(rw, out, 7, 800), [1000, 50000, true]);
  assert.equal(relay(rw, out, 8, 960), [1001, 50160, false]);
  assert.equal(relay(rw, out, 10, 1280), [1003, 50480, false], 'a lost packet stays a gap');
  assert.equal(relay(rw, out, 9, 1120), [1002, 50320, false], 'a late packet keeps its place');
  assert.equal(relay(rw, out, 11, 1440), [1004, 50640, false]);
});

test('sequence numbers and timestamps wrap modulo 2^16 and 2^32', () => {
  const rw = new StreamRewriter();
  const out = new Out(65535, 0xffffffc0);
  assert.equal(relay(rw, out, 100, 5), [65535, 0xffffffc0, true]);
  assert.equal(relay(rw, out, 101, 165), [0, 0x60, false]);
});

test('a route change (the phone switched codec) re-anchors with the marker bit (RFC 3551 §4.1)', () => {
  const rw = new StreamRewriter();
  const out = new Out(1, 1000);
  relay(rw, out, 10, 100, 1);
  relay(rw, out, 11, 260, 1);
  const [seq, ts, marker] = relay(rw, out, 12, 90000, 2); // new codec, new timestamp base
  assert.equal([seq, ts, marker], [3, 1320, true], 'continues right after the last packet');
  assert.equal(relay(rw, out, 13, 90160, 2), [4, 1480, false]);
});

test('someone else sending on the outgoing stream (music on hold, DTMF) makes the next packet re-anchor', () => {
  const rw = new StreamRewriter();
  const out = new Out(500, 8000);
  relay(rw, out, 1, 0);
  relay(rw, out, 2, 160);
  out.seq = (out.seq + 25) & 0xffff; // 25 packets of music
  out.ts += 25 * 160;
  assert.equal(relay(rw, out, 3, 320), [527, 8320 + 4000, true]);
});

test('transcoding: timestamps scale by the clock-rate ratio (8000 -> 48000)', () => {
  const rw = new StreamRewriter();
  const out = new Out(0, 0);
  rw.map(5, 1000, 8000, 48000, 3, out.seq, out.ts);
  assert.is(rw.ts, 0);
  rw.sent(out.seq);
  rw.map(7, 1320, 8000, 48000, 3, out.seq, out.ts);
  assert.is(rw.ts, 1920, '320 units at 8 kHz are 1920 at 48 kHz');
  assert.not.ok(rw.reanchored);
});

test.run();
