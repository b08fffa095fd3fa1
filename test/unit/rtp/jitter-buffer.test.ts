import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JitterBuffer, type JitterBufferOptions } from '../../../src/rtp/jitter-buffer.js';

/** A packet as the simulated network delivers it; the payload carries its sequence number. */
interface Arrival {
  at: number;
  seq: number;
  ts: number;
  marker?: boolean;
  ssrc?: number;
}

interface Played {
  tick: number;
  kind: string;
  reason: string;
  seq: number;
  tag: number;
}

function payloadFor(seq: number): Uint8Array {
  const p = new Uint8Array(160);
  p[0] = seq >> 8;
  p[1] = seq & 0xff;
  return p;
}

/** Seeded PRNG (mulberry32) so "random" networks are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feed arrivals and pop every 20 ms (ticks at 10, 30, 50 ... ms) until `untilMs`. */
function simulate(jb: JitterBuffer, arrivals: Arrival[], untilMs: number, tickMs = 20): Played[] {
  const sorted = [...arrivals].sort((a, b) => a.at - b.at);
  const out: Played[] = [];
  let i = 0;
  let tick = 0;
  for (let t = 10; t <= untilMs; t += tickMs, tick++) {
    while (i < sorted.length && sorted[i]!.at <= t) {
      const a = sorted[i++]!;
      jb.push(a.seq & 0xffff, a.ts >>> 0, payloadFor(a.seq & 0xffff), a.at, a.marker ?? false, a.ssrc);
    }
    const o = jb.pop();
    out.push({ tick, kind: o.kind, reason: o.reason, seq: o.sequence, tag: o.kind === 'frame' ? (o.payload[0]! << 8) | o.payload[1]! : -1 });
  }
  return out;
}

/** A regular sender: packet k sent at k * periodMs, delivered after `delay(k)` ms. */
function stream(count: number, opts: { firstSeq?: number; periodMs?: number; delay?: (k: number) => number; skip?: Set<number> } = {}): Arrival[] {
  const first = opts.firstSeq ?? 1000;
  const period = opts.periodMs ?? 20;
  const out: Arrival[] = [];
  for (let k = 0; k < count; k++) {
    if (opts.skip?.has(k)) continue;
    out.push({ at: k * period + (opts.delay ? opts.delay(k) : 0), seq: first + k, ts: 5000 + k * 160 });
  }
  return out;
}

const frames = (p: Played[]) => p.filter((x) => x.kind === 'frame');
const opts = (o: Partial<JitterBufferOptions> = {}): JitterBufferOptions => ({ clockRate: 8000, ...o });

test('a clean stream plays every packet once, in order, after the minimum delay', () => {
  const jb = new JitterBuffer(opts());
  const played = simulate(jb, stream(100), 2100);
  const f = frames(played);
  assert.is(f.length, 100);
  f.forEach((x, k) => assert.is(x.tag, 1000 + k));
  const lastFrame = played.findIndex((x) => x.tag === 1099);
  assert.is(played.slice(0, lastFrame).filter((x) => x.kind === 'conceal').length, 0, 'nothing concealed while the stream runs');
  assert.is(played[0]!.kind, 'empty', 'buffering first');
  assert.is(played[1]!.tag, 1000, 'first frame after two frames of delay (40 ms minimum)');
  const s = jb.stats;
  assert.is(s.received, 100);
  assert.is(s.lost, 0);
  assert.is(s.targetDelayMs, 40);
});

test('payload bytes are copied: the caller may reuse its buffer after push', () => {
  const jb = new JitterBuffer(opts());
  const buf = new Uint8Array([1, 2, 3]);
  jb.push(1, 160, buf, 0);
  buf[0] = 99;
  jb.push(2, 320, buf, 20);
  const o = jb.pop();
  assert.is(o.kind, 'frame');
  assert.equal(Array.from(o.payload), [1, 2, 3]);
});

test('reordered packets play in sequence order and are counted (RFC 3550 §5.1 sequence number)', () => {
  const arrivals = stream(50);
  for (let k = 10; k < 40; k += 5) [arrivals[k]!.at, arrivals[k + 1]!.at] = [arrivals[k + 1]!.at, arrivals[k]!.at - 1];
  const jb = new JitterBuffer(opts());
  const f = frames(simulate(jb, arrivals, 1200));
  assert.equal(
    f.map((x) => x.tag),
    Array.from({ length: 50 }, (_, k) => 1000 + k),
  );
  assert.is(jb.stats.reordered, 6);
});

test('duplicates are dropped and counted, never played twice (RFC 3550 A.1)', () => {
  const arrivals = stream(30);
  arrivals.push({ ...arrivals[5]!, at: arrivals[5]!.at + 3 }, { ...arrivals[20]!, at: arrivals[20]!.at + 200 });
  const jb = new JitterBuffer(opts());
  const f = frames(simulate(jb, arrivals, 800));
  assert.is(f.length, 30);
  assert.is(new Set(f.map((x) => x.tag)).size, 30);
  assert.is(jb.stats.duplicates, 2);
  assert.is(jb.stats.received, 30);
});

test('a lost packet is concealed at its turn and counted lost (RFC 3550 A.3)', () => {
  const jb = new JitterBuffer(opts());
  const played = simulate(jb, stream(40, { skip: new Set([10, 11, 25]) }), 1000);
  const conceal = played.filter((x) => x.reason === 'loss');
  // Before 1012 arrives nothing tells a loss from lateness: that tick waits ('underrun').
  assert.equal(
    played.filter((x) => x.reason === 'underrun' && x.seq < 1039).map((x) => x.seq),
    [1010],
  );
  assert.equal(
    conceal.map((x) => [x.reason, x.seq]),
    [
      ['loss', 1010],
      ['loss', 1011],
      ['loss', 1025],
    ],
  );
  assert.is(frames(played).length, 37);
  assert.is(jb.stats.lost, 3);
  assert.is(jb.stats.concealedLoss, 3);
});

test('a packet arriving after its playout point is dropped as late and raises the target delay', () => {
  const jb = new JitterBuffer(opts());
  const arrivals = stream(200, { delay: (k) => (k === 50 ? 90 : 0) });
  const played = simulate(jb, arrivals, 4100);
  assert.is(jb.stats.late, 1);
  assert.not.ok(frames(played).some((x) => x.tag === 1050), 'the late packet is not played');
  assert.is(played.find((x) => x.seq === 1050)!.reason, 'loss');
  assert.ok(jb.stats.targetDelayMs > 40, `target ${jb.stats.targetDelayMs}`);
  assert.is(jb.stats.lost, 0, 'a late packet was received, not lost');
});

test('sequence numbers wrap from 65535 to 0 without loss or reordering (RFC 3550 A.1)', () => {
  const jb = new JitterBuffer(opts());
  const f = frames(simulate(jb, stream(40, { firstSeq: 65520 }), 1000));
  assert.is(f.length, 40);
  f.forEach((x, k) => assert.is(x.seq, (65520 + k) & 0xffff));
  assert.is(jb.stats.lost, 0);
  assert.is(jb.stats.reordered, 0);
});

test('an SSRC change resets the stream: the new source re-buffers and plays (RFC 3550 §8.2)', () => {
  const jb = new JitterBuffer(opts());
  const a = stream(20).map((p) => ({ ...p, ssrc: 1 }));
  const b = stream(20, { firstSeq: 40000 }).map((p) => ({ ...p, at: p.at + 400, ssrc: 2 }));
  const played = simulate(jb, [...a, ...b], 900);
  const tags = frames(played).map((x) => x.tag);
  assert.is(tags.filter((t) => t >= 40000).length, 20, 'whole new stream played');
  assert.is(jb.stats.resets, 1);
  assert.is(jb.stats.discarded, 0);
  assert.is(jb.stats.lost, 0);
});

test('a lone sequence jump is discarded; confirmed by the next packet it restarts the stream (RFC 3550 A.1)', () => {
  const jb = new JitterBuffer(opts());
  const arrivals = stream(30);
  arrivals.push({ at: 205, seq: 30000, ts: 1 }); // stray
  const later = stream(20, { firstSeq: 50000 }).map((p) => ({ ...p, at: p.at + 700 }));
  const played = simulate(jb, [...arrivals, ...later], 1300);
  const tags = frames(played).map((x) => x.tag);
  assert.not.ok(tags.includes(30000));
  assert.is(tags.filter((t) => t >= 50000).length, 19, 'the first packet of the jump confirms only itself after the next one');
  assert.is(jb.stats.discarded, 2);
  assert.is(jb.stats.resets, 1);
});

test('DTX pause: conceals briefly, then reports empty; the next talk spurt (marker, timestamp jump) re-buffers', () => {
  const jb = new JitterBuffer(opts({ maxUnderrunFrames: 3 }));
  const spurt1 = stream(20);
  // Same sequence numbering continues; timestamp jumps by the 1 s of silence; marker set (RFC 3551 §4.1).
  const spurt2 = Array.from({ length: 20 }, (_, k) => ({ at: 1400 + k * 20, seq: 1020 + k, ts: 5000 + (20 + 50 + k) * 160, marker: k === 0 }));
  const played = simulate(jb, [...spurt1, ...spurt2], 2000);
  const endOfSpurt = played.findIndex((x) => x.tag === 1019);
  const gap = played.slice(endOfSpurt + 1, played.findIndex((x) => x.tag === 1020));
  assert.is(gap.filter((x) => x.kind === 'conceal').length, 3);
  assert.ok(gap.filter((x) => x.kind === 'empty').length > 30);
  const f = frames(played);
  assert.is(f.length, 40);
  assert.is(jb.stats.lost, 0);
  assert.ok(played.some((x) => x.kind === 'frame' && x.tag === 1020));
});

test('adaptive delay: the target follows RFC 3550 §6.4.1 jitter up, and late loss stays small', () => {
  const r = rng(42);
  const jb = new JitterBuffer(opts());
  const played = simulate(jb, stream(1500, { delay: () => r() * 80 }), 30100);
  const s = jb.stats;
  assert.ok(s.jitterMs > 10, `jitter ${s.jitterMs}`);
  assert.ok(s.targetDelayMs >= 80 && s.targetDelayMs <= 160, `target ${s.targetDelayMs}`);
  assert.ok(s.late < 1500 * 0.02, `late ${s.late}`);
  assert.ok(frames(played).length > 1500 * 0.95);
  const steady = new JitterBuffer(opts());
  simulate(steady, stream(500, { delay: (k) => (k % 2) * 2 }), 10100);
  assert.is(steady.stats.targetDelayMs, 40, 'steady network keeps the minimum delay');
});

test('the target comes back down to one frame once a jitter spike has passed (RFC 3550 §6.4.1 estimate, rounded to the nearest frame)', () => {
  const r = rng(7);
  const jb = new JitterBuffer(opts({ minDelayMs: 20 }));
  // 4 s of up to 15 ms jitter (a busy host), then 20 s of a quiet network (0.5 ms).
  const arrivals = stream(1200, { delay: (k) => (k < 200 ? r() * 15 : (k % 2) * 0.5) });
  simulate(jb, arrivals.slice(0, 200), 4010);
  assert.ok(jb.stats.targetDelayMs >= 40, `target during the spike ${jb.stats.targetDelayMs}`);
  simulate(jb, arrivals, 24010);
  assert.ok(jb.stats.jitterMs < 1, `jitter ${jb.stats.jitterMs}`);
  assert.is(jb.stats.targetDelayMs, 20, 'one frame again: 1 + 3 x 0.5 / 20 rounds to 1');
});

test('clock skew: a sender 1% fast does not grow latency without bound (frames dropped instead)', () => {
  const jb = new JitterBuffer(opts());
  const played = simulate(jb, stream(3030, { periodMs: 19.8 }), 60000);
  let maxBuffered = 0;
  const probe = new JitterBuffer(opts());
  const arrivals = stream(3030, { periodMs: 19.8 });
  let i = 0;
  for (let t = 10; t <= 60000; t += 20) {
    while (i < arrivals.length && arrivals[i]!.at <= t) {
      const a = arrivals[i++]!;
      probe.push(a.seq, a.ts, payloadFor(a.seq), a.at);
    }
    probe.pop();
    if (t > 1000) maxBuffered = Math.max(maxBuffered, probe.stats.bufferedMs);
  }
  assert.ok(maxBuffered <= 100, `buffered up to ${maxBuffered} ms`);
  const s = jb.stats;
  assert.ok(s.dropped >= 20 && s.dropped <= 40, `dropped ${s.dropped}`);
  const tags = frames(played).map((x) => x.tag);
  for (let k = 1; k < tags.length; k++) assert.ok(tags[k]! > tags[k - 1]!, 'still in order');
});

test('clock skew: a sender 1% slow is stretched now and then, never stalls into silence', () => {
  const jb = new JitterBuffer(opts());
  const played = simulate(jb, stream(2970, { periodMs: 20.2 }), 60000);
  const afterStart = played.slice(10);
  assert.is(afterStart.filter((x) => x.kind === 'empty').length, 0, 'never falls back to buffering');
  const inserted = afterStart.filter((x) => x.kind === 'conceal').length;
  assert.ok(inserted >= 20 && inserted <= 40, `inserted ${inserted}`);
  assert.ok(frames(played).length >= 2960, 'every packet plays');
  assert.is(jb.stats.late, 0);
});

test('a burst after a network stall is cut back to the maximum delay at once, then to the target', () => {
  const jb = new JitterBuffer(opts({ maxDelayMs: 200 }));
  const arrivals = stream(200, { delay: (k) => (k >= 50 && k < 80 ? 600 - (k - 50) * 20 : 0) });
  const played = simulate(jb, arrivals, 4100);
  assert.ok(jb.stats.dropped > 0);
  const f = frames(played);
  // after the burst, playout resumes in order with bounded delay
  const tags = f.map((x) => x.tag);
  for (let k = 1; k < tags.length; k++) assert.ok(tags[k]! > tags[k - 1]!);
  assert.ok(jb.stats.bufferedMs <= 80, `buffered ${jb.stats.bufferedMs}`);
});

test('an oversize payload is discarded, not truncated', () => {
  const jb = new JitterBuffer(opts({ maxPayloadBytes: 100 }));
  jb.push(1, 0, new Uint8Array(101), 0);
  assert.is(jb.stats.discarded, 1);
  assert.is(jb.stats.received, 0);
});

test('a lone packet (e.g. Opus DTX comfort noise) plays after the target delay without waiting for followers', () => {
  const jb = new JitterBuffer(opts());
  jb.push(7, 1000, new Uint8Array([0xf8]), 0, true);
  const kinds = [jb.pop().kind, jb.pop().kind, jb.pop().kind];
  assert.equal(kinds, ['empty', 'frame', 'conceal']);
});

test('marker and timestamp pass through with the frame', () => {
  const jb = new JitterBuffer(opts({ minDelayMs: 20 }));
  jb.push(5, 123456, new Uint8Array(10), 0, true);
  const o = jb.pop();
  assert.is(o.kind, 'frame');
  assert.is(o.marker, true);
  assert.is(o.timestamp, 123456);
  assert.is(o.sequence, 5);
});

test.run();
