/**
 * Two-party relays through real UDP: RTCP per leg (muxed and on port + 1), payload types
 * mapped by codec name and per-packet transcoding, media timeout across hold and resume,
 * RFC 4733 events into an Opus leg. Peers are plain sockets driven by this test; what they
 * receive is parsed and decoded here, not taken from the engine's own counters.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { MediaEngine, type EngineEvent } from '../../src/mixer/channel/media-engine.js';
import type { PayloadMapping } from '../../src/mixer/channel/protocol.js';
import { PCMA, PCMU } from '../../src/rtp/codec/g711.js';
import { OPUS } from '../../src/rtp/codec/opus.js';
import type { AudioCodec } from '../../src/rtp/codec/codec.js';
import { ToneGenerator } from '../../src/dsp/tone.js';
import { goertzelPower, powerToDbov } from '../../src/dsp/goertzel.js';
import { ntpMiddle32, parseRtcp, writeReceiverReport, writeSdesCname, type RtcpPacket, type SenderReport } from '../../src/rtp/rtcp.js';
import { sleep } from '../support/waiting.js';

const PORTS = { min: 32000, max: 32999 };
const open: Peer[] = [];

interface Received {
  pt: number;
  seq: number;
  ts: number;
  ssrc: number;
  marker: boolean;
  payload: Buffer;
}

/** A phone stand-in: sends RTP (and RTCP), records what comes back on its RTP and RTCP sockets. */
class Peer {
  readonly rtp: Socket = createSocket('udp4');
  readonly rtcp: Socket = createSocket('udp4');
  readonly packets: Received[] = [];
  readonly reports: { packets: RtcpPacket[]; from: RemoteInfo; muxed: boolean }[] = [];
  readonly ssrc = 0x50000000 + open.length;
  seq = 100;
  ts = 1000;
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    open.push(this);
    this.rtp.on('message', (m: Buffer, from: RemoteInfo) => {
      if (m[1]! >= 192 && m[1]! <= 223) return void this.reports.push({ packets: parseRtcp(m, m.length, { reducedSize: true }) ?? [], from, muxed: true });
      this.packets.push({ pt: m[1]! & 0x7f, seq: m.readUInt16BE(2), ts: m.readUInt32BE(4), ssrc: m.readUInt32BE(8), marker: (m[1]! & 0x80) !== 0, payload: m.subarray(12) });
    });
    this.rtcp.on('message', (m: Buffer, from: RemoteInfo) => this.reports.push({ packets: parseRtcp(m, m.length, { reducedSize: true }) ?? [], from, muxed: false }));
  }

  async bind(): Promise<{ port: number; rtcpPort: number }> {
    this.rtp.bind(0, '127.0.0.1');
    this.rtcp.bind(0, '127.0.0.1');
    await Promise.all([once(this.rtp, 'listening'), once(this.rtcp, 'listening')]);
    return { port: this.rtp.address().port, rtcpPort: this.rtcp.address().port };
  }

  /** One RTP packet of `payload` with payload type `pt`, then advance by `step`. */
  send(port: number, pt: number, payload: Uint8Array, step: number, marker = false): void {
    const pkt = Buffer.alloc(12 + payload.length);
    pkt[0] = 0x80;
    pkt[1] = (marker ? 0x80 : 0) | pt;
    pkt.writeUInt16BE(this.seq++ & 0xffff, 2);
    pkt.writeUInt32BE(this.ts >>> 0, 4);
    pkt.writeUInt32BE(this.ssrc, 8);
    pkt.set(payload, 12);
    this.ts = (this.ts + step) >>> 0;
    this.rtp.send(pkt, port, '127.0.0.1');
  }

  /** A `hz` tone in `codec` (8 kHz) with payload type `pt`, every 20 ms. */
  stream(port: number, codec: AudioCodec, pt: number, hz: number): void {
    this.stop();
    const gen = new ToneGenerator(8000, hz, { amplitude: 6000 });
    const enc = codec.createEncoder();
    const pcm = new Int16Array(160);
    const buf = new Uint8Array(1500);
    this.timer = setInterval(() => {
      gen.fill(pcm);
      this.send(port, pt, buf.subarray(0, enc.encode(pcm, buf)), 160);
    }, 20);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** An RR about `aboutSsrc` (+ SDES), echoing the last SR we got from it. */
  sendReport(to: { port: number; address?: string }, socket: Socket, aboutSsrc: number, fractionLost: number, jitter: number): void {
    const sr = this.lastSr();
    const buf = new Uint8Array(128);
    let n = writeReceiverReport({ ssrc: this.ssrc, reports: [{ ssrc: aboutSsrc, fractionLost, cumulativeLost: 3, extendedHighestSeq: 1000, jitter, lastSr: sr ? ntpMiddle32(sr.ntpSeconds, sr.ntpFraction) : 0, delaySinceLastSr: 0 }] }, buf);
    n += writeSdesCname(this.ssrc, 'peer', buf, n);
    socket.send(buf.subarray(0, n), to.port, to.address ?? '127.0.0.1');
  }

  lastSr(): SenderReport | undefined {
    for (let i = this.reports.length - 1; i >= 0; i--) {
      const sr = this.reports[i]!.packets.find((p): p is SenderReport => p.type === 'SR');
      if (sr) return sr;
    }
    return undefined;
  }

  /** The tone level at `hz` in what we received with payload type `pt`, decoded with `codec`. */
  level(codec: AudioCodec, pt: number, hz: number, from = 0): number {
    const dec = codec.createDecoder();
    const frames = this.packets.slice(from).filter((p) => p.pt === pt);
    const pcm = new Int16Array(960 * Math.max(1, frames.length));
    let n = 0;
    for (const p of frames) n += dec.decode(p.payload, pcm.subarray(n));
    return n === 0 ? -Infinity : powerToDbov(goertzelPower(pcm.subarray(0, n), codec.sampleRate, hz, 0, n, true));
  }

  close(): void {
    this.stop();
    this.rtp.close();
    this.rtcp.close();
    open.splice(open.indexOf(this), 1);
  }
}

async function withEngine(fn: (e: MediaEngine, events: EngineEvent[]) => Promise<void>): Promise<void> {
  const engine = await MediaEngine.start({ workers: 1, rtpPorts: PORTS, rtcpIntervalMs: 400 });
  const events: EngineEvent[] = [];
  engine.on('event', (e: EngineEvent) => events.push(e));
  try {
    await fn(engine, events);
  } finally {
    for (const p of [...open]) p.close();
    await engine.close();
  }
}

const pcmu: PayloadMapping[] = [{ payloadType: 0, codec: 'PCMU' }];

async function relayPair(engine: MediaEngine, aPayloads: PayloadMapping[], bPayloads: PayloadMapping[], extra: { a?: object; b?: object } = {}) {
  const pa = new Peer();
  const pb = new Peer();
  const [ra, rb] = [await pa.bind(), await pb.bind()];
  const ea = await engine.createEndpoint({ endpointId: 'a', payloads: aPayloads, remote: { address: '127.0.0.1', ...ra }, ...extra.a });
  const eb = await engine.createEndpoint({ endpointId: 'b', payloads: bPayloads, remote: { address: '127.0.0.1', ...rb }, colocateWith: 'a', ...extra.b });
  const { mode } = await engine.relay('a', 'b');
  return { pa, pb, ea, eb, mode };
}

test('muxed RTCP (RFC 5761): each leg gets our SR with a block about its own stream; its RR about our stream shows in the stats with loss, jitter and round trip', async () => {
  await withEngine(async (engine) => {
    const { pa, pb, ea, eb } = await relayPair(engine, pcmu, pcmu);
    pa.stream(ea.localPort, PCMU, 0, 500);
    pb.stream(eb.localPort, PCMU, 0, 700);
    await sleep(900);
    const sr = pb.lastSr();
    assert.ok(sr, 'b received an SR on its RTP port');
    assert.ok(pb.reports.every((r) => r.muxed && r.from.port === eb.localPort), 'from our RTP port');
    assert.is(sr!.ssrc, pb.packets.at(-1)!.ssrc, 'the SR is from the SSRC of the RTP we send b');
    const block = sr!.reports.find((r) => r.ssrc === pb.ssrc);
    assert.ok(block, 'with a report block about b\'s own stream');
    assert.ok(block!.extendedHighestSeq >= 100 && block!.cumulativeLost === 0);
    assert.ok(pb.reports.some((r) => r.packets.some((p) => p.type === 'SDES')), 'SDES CNAME in the compound packet');
    pb.sendReport({ port: eb.localPort }, pb.rtp, sr!.ssrc, 64, 80);
    await sleep(100);
    const stats = await engine.endpointStats('b');
    assert.ok(stats.peer, 'the peer report is in the stats');
    assert.is(stats.peer!.fractionLost, 0.25);
    assert.is(stats.peer!.jitterMs, 10, '80 units at 8 kHz');
    assert.ok(stats.peer!.rttMs !== null && stats.peer!.rttMs >= 0 && stats.peer!.rttMs < 1000, `rtt ${stats.peer!.rttMs} ms on loopback`);
    assert.ok(stats.rtcpReceived >= 1 && (stats.rtcpSent ?? 0) >= 1);
  });
});

test('relayed quality: loss that b reports on the audio it gets from a reaches a\'s phone in our report about a\'s stream', async () => {
  await withEngine(async (engine) => {
    const { pa, pb, ea, eb } = await relayPair(engine, pcmu, pcmu);
    pa.stream(ea.localPort, PCMU, 0, 500);
    pb.stream(eb.localPort, PCMU, 0, 700);
    await sleep(300);
    const ourSsrcToB = pb.packets.at(-1)!.ssrc;
    pb.sendReport({ port: eb.localPort }, pb.rtp, ourSsrcToB, 128, 0); // half of a's audio lost on b's hop
    const before = pa.reports.length;
    await sleep(1200);
    const blocks = pa.reports.slice(before).flatMap((r) => r.packets.flatMap((p) => (p.type === 'SR' || p.type === 'RR' ? p.reports : []))).filter((b) => b.ssrc === pa.ssrc);
    assert.ok(blocks.length > 0, 'a got reports about its stream');
    assert.ok(blocks.some((b) => b.fractionLost >= 128 && b.cumulativeLost >= 3), `folded: ${JSON.stringify(blocks.map((b) => b.fractionLost))}`);
  });
});

test('RTCP not muxed: reports go from port+1 to the a=rtcp port; the peer\'s RTCP to port+1 is read, and RTCP from another source is dropped once latched (RFC 3550 §11, RFC 3605, RFC 4961)', async () => {
  await withEngine(async (engine) => {
    const { pa, pb, ea, eb } = await relayPair(engine, pcmu, pcmu);
    const rb = { port: pb.rtp.address().port, rtcpPort: pb.rtcp.address().port };
    await engine.updateEndpoint('b', { rtcpMux: false, remote: { address: '127.0.0.1', ...rb } });
    pa.stream(ea.localPort, PCMU, 0, 500);
    pb.stream(eb.localPort, PCMU, 0, 700);
    await sleep(900);
    const own = pb.reports.filter((r) => !r.muxed);
    assert.ok(own.length > 0, 'reports arrive on the peer\'s RTCP socket');
    assert.ok(own.every((r) => r.from.port === eb.localPort + 1), 'sent from our RTP port + 1');
    assert.is(pb.reports.filter((r) => r.muxed).length, 0, 'nothing on its RTP port any more');
    const ourSsrc = pb.packets.at(-1)!.ssrc;
    pb.sendReport({ port: eb.localPort + 1 }, pb.rtcp, ourSsrc, 32, 8);
    await sleep(100);
    assert.is((await engine.endpointStats('b')).peer?.fractionLost, 0.125);
    const intruder = new Peer();
    await intruder.bind();
    intruder.sendReport({ port: eb.localPort + 1 }, intruder.rtcp, ourSsrc, 255, 8);
    await sleep(100);
    assert.is((await engine.endpointStats('b')).peer?.fractionLost, 0.125, 'the intruder\'s report was not taken');
  });
});

test('payload types map by codec name: a\'s PCMA on its PT 100 passes through to b as PT 8, byte for byte', async () => {
  await withEngine(async (engine) => {
    const { pa, pb, ea, mode } = await relayPair(
      engine,
      [{ payloadType: 0, codec: 'PCMU' }, { payloadType: 100, codec: 'PCMA' }],
      [{ payloadType: 0, codec: 'PCMU' }, { payloadType: 8, codec: 'PCMA' }],
    );
    assert.is(mode, 'passthrough');
    const payload = new Uint8Array(160).map((_, i) => (i * 7) & 0xff);
    for (let i = 0; i < 5; i++) {
      pa.send(ea.localPort, 100, payload, 160);
      await sleep(20);
    }
    await sleep(50);
    assert.is(pb.packets.length, 5);
    assert.ok(pb.packets.every((p) => p.pt === 8 && Buffer.compare(p.payload, Buffer.from(payload)) === 0));
  });
});

test('a phone that switches to a codec the other leg lacks is transcoded per packet; sequence numbers stay continuous and the switch is marked', async () => {
  await withEngine(async (engine) => {
    const { pa, pb, ea } = await relayPair(engine, [{ payloadType: 0, codec: 'PCMU' }, { payloadType: 8, codec: 'PCMA' }], pcmu);
    pa.stream(ea.localPort, PCMU, 0, 500);
    await sleep(400);
    const switchAt = pb.packets.length;
    pa.stream(ea.localPort, PCMA, 8, 900); // mid-call switch to PCMA, which b did not negotiate
    await sleep(500);
    pa.stop();
    await sleep(50);
    assert.ok(pb.packets.every((p) => p.pt === 0), 'b only ever gets PCMU');
    assert.ok(pb.level(PCMU, 0, 500, 0) > -30, 'the PCMU part passed through');
    assert.ok(pb.level(PCMU, 0, 900, switchAt + 1) > -30, `the PCMA part was transcoded (${pb.level(PCMU, 0, 900, switchAt + 1).toFixed(1)} dBov)`);
    const seqs = pb.packets.map((p) => p.seq);
    for (let i = 1; i < seqs.length; i++) assert.is((seqs[i]! - seqs[i - 1]!) & 0xffff, 1, `sequence continuous at ${i}`);
    const marked = pb.packets.slice(switchAt).findIndex((p) => p.marker);
    assert.ok(marked >= 0 && marked <= 1, 'the first packet after the switch has the marker bit');
    assert.is(new Set(pb.packets.map((p) => p.ssrc)).size, 1, 'one SSRC throughout');
  });
});

test('legs with no codec in common: PCMU <-> Opus transcoded both ways (tone heard each way)', async () => {
  await withEngine(async (engine) => {
    const { pa, pb, ea, eb, mode } = await relayPair(engine, pcmu, [{ payloadType: 111, codec: 'opus' }]);
    assert.is(mode, 'transcode');
    pa.stream(ea.localPort, PCMU, 0, 600);
    const enc = OPUS.createEncoder();
    const gen = new ToneGenerator(OPUS.sampleRate, 1000, { amplitude: 6000 });
    const pcm = new Int16Array(OPUS.frameSamples(20));
    const buf = new Uint8Array(1500);
    for (let i = 0; i < 40; i++) {
      gen.fill(pcm);
      pb.send(eb.localPort, 111, buf.subarray(0, enc.encode(pcm, buf)), 960);
      await sleep(20);
    }
    await sleep(100);
    assert.ok(pb.packets.length > 20 && pb.packets.every((p) => p.pt === 111));
    assert.ok(pb.level(OPUS, 111, 600, 10) > -30, `b hears a through Opus (${pb.level(OPUS, 111, 600, 10).toFixed(1)})`);
    assert.ok(pa.level(PCMU, 0, 1000, 10) > -30, `a hears b through PCMU (${pa.level(PCMU, 0, 1000, 10).toFixed(1)})`);
  });
});

test('media timeout: none while on hold however long; after the resume with no media it fires, and again while the silence lasts', async () => {
  await withEngine(async (engine, events) => {
    const peer = new Peer();
    const r = await peer.bind();
    const ep = await engine.createEndpoint({ endpointId: 't', payloads: pcmu, remote: { address: '127.0.0.1', ...r }, mediaTimeoutMs: 300 });
    peer.stream(ep.localPort, PCMU, 0, 400);
    await sleep(200);
    await engine.updateEndpoint('t', { onHold: true });
    peer.stop();
    await sleep(2200);
    const timeouts = () => events.filter((e) => e.event === 'media.timeout' && e.endpointId === 't');
    assert.is(timeouts().length, 0, 'silence on hold is expected');
    await engine.updateEndpoint('t', { onHold: false });
    await sleep(1400); // checked once a second
    const first = timeouts().length;
    assert.ok(first >= 1, 'the resumed call that never sends media times out');
    assert.ok((timeouts()[0] as { silentMs: number }).silentMs < 1500, 'the silence is counted from the resume, not from the last packet');
    await sleep(1100);
    assert.ok(timeouts().length > first, 'and is reported again while the silence lasts');
  });
});

test('RFC 4733 from a PCMU leg into an Opus leg: telephone-event/8000 keeps 8000 Hz durations on the 48 kHz audio timeline; telephone-event/48000 gets them x6', async () => {
  for (const teRate of [8000, 48000]) {
    await withEngine(async (engine, events) => {
      const { pa, pb, ea } = await relayPair(engine, pcmu, [{ payloadType: 111, codec: 'opus' }], {
        a: { telephoneEventPt: 101, telephoneEventClockRate: 8000 },
        b: { telephoneEventPt: 110, telephoneEventClockRate: teRate },
      });
      pa.stream(ea.localPort, PCMU, 0, 600);
      await sleep(300);
      pa.stop();
      const lastAudioTs = pb.packets.filter((p) => p.pt === 111).at(-1)!.ts;
      const event = Buffer.alloc(4);
      for (let i = 1; i <= 6; i++) {
        event[0] = 7;
        event[1] = (i > 3 ? 0x80 : 0) | 10;
        event.writeUInt16BE(Math.min(i, 4) * 200, 2); // up to 800 units at 8 kHz = 100 ms
        pa.send(ea.localPort, 101, event, 0, i === 1);
        await sleep(20);
      }
      await sleep(100);
      const got = pb.packets.filter((p) => p.pt === 110);
      assert.ok(got.length >= 4, `${got.length} event packets reached b`);
      assert.is(new Set(got.map((p) => p.ts)).size, 1, 'one event timestamp');
      const d = (got[0]!.ts - lastAudioTs) >>> 0;
      assert.ok(d > 0 && d <= 960 * 3, `the event starts on b's 48 kHz audio timeline (${d} units after its last audio)`);
      const final = got.at(-1)!.payload;
      assert.is(final[0], 7);
      assert.is(final.readUInt16BE(2), teRate === 8000 ? 800 : 4800);
      assert.ok(events.some((e) => e.event === 'dtmf' && e.endpointId === 'a' && e.digit === '7' && e.durationMs === 100), 'the digit was reported with 100 ms');
    });
  }
});

test.run();
