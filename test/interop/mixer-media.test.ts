/**
 * The engine's non-mixing media paths through real UDP: prompts and music to an endpoint,
 * greeting and join tone in a room, RFC 4733 digits in and out, transcoding relay, media
 * timeout. Audio is checked by decoding what the peer socket received.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaEngine, type EngineEvent } from '../../src/mixer/channel/media-engine.js';
import { PCMA, PCMU } from '../../src/rtp/codec/g711.js';
import type { AudioCodec } from '../../src/rtp/codec/codec.js';
import { ToneGenerator, toneSamples } from '../../src/dsp/tone.js';
import { goertzelPower, powerToDbov } from '../../src/dsp/goertzel.js';
import { sleep } from '../support/waiting.js';

const PORTS = { min: 31000, max: 31999 };
const dir = mkdtempSync(join(tmpdir(), 'mixer-media-'));

/** A 16-bit mono WAV file of a tone. */
function wav(name: string, rate: number, hz: number, ms: number): string {
  const pcm = toneSamples(rate, hz, (rate * ms) / 1000, { amplitude: 6000 });
  const data = Buffer.from(pcm.buffer);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(data.length, 40);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([h, data]));
  return path;
}

const open: Peer[] = [];

class Peer {
  readonly socket: Socket = createSocket('udp4');
  readonly frames: Int16Array[] = [];
  readonly events: { pt: number; payload: Buffer; ts: number }[] = [];
  private seq = 0;
  private ts = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly dec;
  private readonly enc;

  constructor(
    codec: AudioCodec,
    private readonly pt: number,
    private readonly tonePt = 101,
  ) {
    open.push(this);
    this.dec = codec.createDecoder();
    this.enc = codec.createEncoder();
    this.socket.on('message', (m: Buffer) => {
      const pt = m[1]! & 0x7f;
      if (pt === this.tonePt) this.events.push({ pt, payload: m.subarray(12), ts: m.readUInt32BE(4) });
      else if (pt === this.pt && m.length === 172) {
        const pcm = new Int16Array(160);
        this.dec.decode(m.subarray(12), pcm);
        this.frames.push(pcm);
      }
    });
  }

  async bind(): Promise<number> {
    this.socket.bind(0, '127.0.0.1');
    await once(this.socket, 'listening');
    return this.socket.address().port;
  }

  /** Send a tone (or silence) every 20 ms to `port`. */
  start(port: number, hz?: number): void {
    const gen = hz ? new ToneGenerator(8000, hz, { amplitude: 5000 }) : undefined;
    const pcm = new Int16Array(160);
    this.timer = setInterval(() => {
      if (gen) gen.fill(pcm);
      const pkt = Buffer.alloc(172);
      pkt[0] = 0x80;
      pkt[1] = this.pt;
      pkt.writeUInt16BE(this.seq++ & 0xffff, 2);
      pkt.writeUInt32BE(this.ts, 4);
      this.ts = (this.ts + 160) >>> 0;
      pkt.writeUInt32BE(0x1234, 8);
      this.enc.encode(pcm, pkt.subarray(12));
      this.socket.send(pkt, port, '127.0.0.1');
    }, 20);
  }

  /** One RFC 4733 digit: three updates then three end packets (§2.5.1.4). */
  async digit(port: number, event: number): Promise<void> {
    const ts = this.ts;
    for (let i = 1; i <= 6; i++) {
      const end = i > 3;
      const pkt = Buffer.alloc(16);
      pkt[0] = 0x80;
      pkt[1] = (i === 1 ? 0x80 : 0) | this.tonePt;
      pkt.writeUInt16BE(this.seq++ & 0xffff, 2);
      pkt.writeUInt32BE(ts, 4);
      pkt.writeUInt32BE(0x1234, 8);
      pkt[12] = event;
      pkt[13] = (end ? 0x80 : 0) | 10;
      pkt.writeUInt16BE(Math.min(i, 4) * 400, 14);
      this.socket.send(pkt, port, '127.0.0.1');
      await sleep(20);
    }
  }

  /** The loudest 20 ms frame's power at `hz`, dBov (for short tones). */
  peak(hz: number, from = 0): number {
    let best = 0;
    for (const f of this.frames.slice(from)) best = Math.max(best, goertzelPower(f, 8000, hz));
    return powerToDbov(best);
  }

  level(hz: number, from = 0): number {
    const f = this.frames.slice(from);
    if (f.length === 0) return -Infinity;
    const all = new Int16Array(160 * f.length);
    f.forEach((x, i) => all.set(x, 160 * i));
    return powerToDbov(goertzelPower(all, 8000, hz, 0, all.length, true));
  }

  stop(): void {
    clearInterval(this.timer);
    if (open.includes(this)) this.socket.close();
    open.splice(open.indexOf(this), 1);
  }
}

async function withEngine(fn: (e: MediaEngine, events: EngineEvent[]) => Promise<void>): Promise<void> {
  const engine = await MediaEngine.start({ workers: 1, rtpPorts: PORTS });
  const events: EngineEvent[] = [];
  engine.on('event', (e: EngineEvent) => events.push(e));
  try {
    await fn(engine, events);
  } finally {
    for (const p of [...open]) p.stop();
    await engine.close();
  }
}

const pcmu = [{ payloadType: 0, codec: 'PCMU' as const }];

test('a prompt to one endpoint is heard, then playback.finished; music on hold loops until stopped', async () => {
  const prompt = wav('prompt.wav', 16000, 700, 300);
  const music = wav('music.wav', 8000, 1100, 200);
  await withEngine(async (engine, events) => {
    const peer = new Peer(PCMU, 0);
    const port = await peer.bind();
    await engine.createEndpoint({ endpointId: 'ivr', payloads: pcmu, telephoneEventPt: 101, remote: { address: '127.0.0.1', port }, symmetricLatching: false });
    const { playbackId, durationMs } = await engine.play({ endpointId: 'ivr' }, prompt);
    assert.ok(Math.abs(durationMs - 300) < 1);
    await sleep(500);
    assert.ok(peer.level(700) > -25, `prompt heard at ${peer.level(700).toFixed(1)} dBov`);
    assert.ok(events.some((e) => e.event === 'playback.finished' && e.playbackId === playbackId && e.reason === 'done'));
    const before = peer.frames.length;
    await engine.startMusicOnHold('ivr', music);
    await sleep(600); // three times the music's length: it loops
    assert.ok(peer.level(1100, before) > -25, 'music heard');
    assert.ok(peer.frames.length - before >= 25, 'music keeps coming after the file ended');
    await engine.stopMusicOnHold('ivr');
    await sleep(100);
    const after = peer.frames.length;
    await sleep(200);
    assert.is(peer.frames.length, after, 'nothing sent after music on hold stopped');
    peer.stop();
  });
});

test('room: the greeting plays to the joiner only; others hear the join tone', async () => {
  const greeting = wav('greeting.wav', 8000, 1500, 400);
  await withEngine(async (engine) => {
    engine.createRoom({ roomId: 'g' });
    const a = new Peer(PCMU, 0);
    const b = new Peer(PCMU, 0);
    const pa = await a.bind();
    const pb = await b.bind();
    const ea = await engine.createEndpoint({ endpointId: 'a', payloads: pcmu, remote: { address: '127.0.0.1', port: pa } });
    const eb = await engine.createEndpoint({ endpointId: 'b', payloads: pcmu, remote: { address: '127.0.0.1', port: pb } });
    a.start(ea.localPort);
    b.start(eb.localPort);
    await engine.addToRoom('g', 'a');
    await sleep(200);
    const aBefore = a.frames.length;
    await engine.addToRoom('g', 'b', { greetingFile: greeting });
    await sleep(500);
    assert.ok(b.level(1500) > -25, `greeting heard by the joiner at ${b.level(1500).toFixed(1)}`);
    assert.ok(a.level(1500) < -50, 'greeting not heard by the others');
    assert.ok(a.peak(600, aBefore) > -25 && a.peak(900, aBefore) > -25, 'join tone (600 then 900 Hz) heard by the others');
    a.stop();
    b.stop();
  });
});

test('RFC 4733: a digit from the peer becomes one dtmf event; dtmf.send emits events with a marker and three ends', async () => {
  await withEngine(async (engine, events) => {
    const peer = new Peer(PCMU, 0);
    const port = await peer.bind();
    const ep = await engine.createEndpoint({ endpointId: 'd', payloads: pcmu, telephoneEventPt: 101, remote: { address: '127.0.0.1', port } });
    peer.start(ep.localPort);
    await sleep(100);
    await peer.digit(ep.localPort, 5);
    await sleep(100);
    const digits = events.filter((e) => e.event === 'dtmf');
    assert.is(digits.length, 1);
    assert.is((digits[0] as { digit: string }).digit, '5');
    await engine.sendDtmf('d', '#', 100);
    await sleep(400);
    assert.ok(peer.events.length >= 4, `${peer.events.length} event packets`);
    assert.is(peer.events[0]!.payload[0], 11, 'event code of #');
    const ends = peer.events.filter((e) => (e.payload[1]! & 0x80) !== 0);
    assert.is(ends.length, 3, 'three end packets (RFC 4733 §2.5.1.4)');
    assert.is(new Set(peer.events.map((e) => e.ts)).size, 1, 'every packet of one event carries its start timestamp');
    peer.stop();
  });
});

test('relay PCMU <-> PCMA transcodes both ways and forwards digits out of band', async () => {
  await withEngine(async (engine, events) => {
    const a = new Peer(PCMU, 0);
    const b = new Peer(PCMA, 8);
    const pa = await a.bind();
    const pb = await b.bind();
    const ea = await engine.createEndpoint({ endpointId: 'a', payloads: pcmu, telephoneEventPt: 101, remote: { address: '127.0.0.1', port: pa } });
    const eb = await engine.createEndpoint({ endpointId: 'b', payloads: [{ payloadType: 8, codec: 'PCMA' }], telephoneEventPt: 101, remote: { address: '127.0.0.1', port: pb }, colocateWith: 'a' });
    assert.equal(await engine.relay('a', 'b'), { mode: 'transcode' });
    a.start(ea.localPort, 500);
    b.start(eb.localPort, 900);
    await sleep(600);
    assert.ok(b.level(500) > -30, `b hears a (${b.level(500).toFixed(1)})`);
    assert.ok(a.level(900) > -30, `a hears b (${a.level(900).toFixed(1)})`);
    await a.digit(ea.localPort, 1);
    await sleep(100);
    assert.ok(events.some((e) => e.event === 'dtmf' && e.endpointId === 'a' && e.digit === '1'));
    assert.ok(b.events.length >= 4 && b.events[0]!.payload[0] === 1, 'the digit reached b as RFC 4733 events');
    a.stop();
    b.stop();
  });
});

test('media timeout: an endpoint that stops receiving raises media.timeout after the configured silence', async () => {
  await withEngine(async (engine, events) => {
    const peer = new Peer(PCMU, 0);
    const port = await peer.bind();
    const ep = await engine.createEndpoint({ endpointId: 't', payloads: pcmu, remote: { address: '127.0.0.1', port }, mediaTimeoutMs: 300 });
    peer.start(ep.localPort);
    await sleep(200);
    peer.stop();
    await sleep(2300);
    const timeouts = events.filter((e): e is Extract<EngineEvent, { event: 'media.timeout' }> => e.event === 'media.timeout' && e.endpointId === 't');
    assert.ok(timeouts.length >= 1 && timeouts.length <= 3, `${timeouts.length} timeouts (checked once a second, repeated each further 300 ms of silence)`);
    assert.ok(timeouts[0]!.silentMs >= 300);
  });
});

test.run();
