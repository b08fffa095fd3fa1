/**
 * The room's tick without sockets or clock: fake endpoints feed decoded frames and record
 * what would be sent. Checks the output paths (shared mix encoded once per codec, minus-
 * self for talkers, silence for the deafened, music while waiting for the owner) and the
 * talking events.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Endpoint } from '../../../src/mixer/endpoint/endpoint.js';
import { Pulled } from '../../../src/mixer/endpoint/inbound-audio.js';
import { Room, type RoomContext } from '../../../src/mixer/room/room.js';
import { RoomSpan } from '../../../src/mixer/span/room-span.js';
import { SoftLimiter } from '../../../src/mixer/mix/soft-limiter.js';
import { MusicChannel } from '../../../src/mixer/play/music-channel.js';
import { PCMA, PCMU } from '../../../src/rtp/codec/g711.js';
import { G722 } from '../../../src/rtp/codec/g722.js';
import type { AudioCodec } from '../../../src/rtp/codec/codec.js';
import { ToneGenerator, toneSamples } from '../../../src/dsp/tone.js';
import { goertzelPower, powerToDbov } from '../../../src/dsp/goertzel.js';
import type { WorkerEvent } from '../../../src/mixer/channel/protocol.js';

/** Just what Room and Participant use of an Endpoint. */
class FakeEndpoint {
  muted = false;
  deafened = false;
  canSend = true;
  readonly sent: Buffer[] = [];
  private readonly tone: ToneGenerator | undefined;
  readonly inbound = {
    pcm: new Int16Array(960),
    samples: 160,
    energy: 0,
    codec: PCMU as AudioCodec | undefined,
    pull: (): Pulled => {
      if (!this.tone) return Pulled.Nothing;
      const n = this.inbound.samples;
      this.tone.fill(this.inbound.pcm, n);
      let e = 0;
      for (let i = 0; i < n; i++) e += this.inbound.pcm[i]! * this.inbound.pcm[i]!;
      this.inbound.energy = e / n;
      return Pulled.Decoded;
    },
  };
  encoderCalls = 0;
  private enc;

  constructor(
    readonly id: string,
    readonly sendCodec: AudioCodec,
    toneHz?: number,
  ) {
    const rate = sendCodec.sampleRate;
    this.tone = toneHz ? new ToneGenerator(rate, toneHz, { amplitude: 4000 }) : undefined;
    this.enc = sendCodec.createEncoder();
    this.inbound.codec = sendCodec;
    this.inbound.samples = rate / 50;
  }

  get encoder(): { encode(pcm: Int16Array, out: Uint8Array): number } {
    return {
      encode: (pcm, out) => {
        this.encoderCalls++;
        return this.enc.encode(pcm, out);
      },
    };
  }

  sendPayload(payload: Buffer): void {
    this.sent.push(Buffer.from(payload)); // copy: the room reuses its buffers
  }

  /** dBov of `hz` over the last `frames` frames received. */
  heard(hz: number, frames = 20): number {
    const dec = this.sendCodec.createDecoder();
    const n = this.sendCodec.sampleRate / 50;
    const pcm = new Int16Array(n * this.sent.length);
    this.sent.forEach((p, i) => dec.decode(p, pcm.subarray(n * i, n * (i + 1)))); // decode all: stateful codecs
    const from = Math.max(0, this.sent.length - frames) * n;
    return powerToDbov(goertzelPower(pcm, this.sendCodec.sampleRate, hz, from, pcm.length - from, true));
  }
}

function setup(opts: { waitForOwner?: boolean; music?: MusicChannel } = {}) {
  const events: WorkerEvent[] = [];
  const ctx: RoomContext = { worker: 0, limiter: new SoftLimiter(), emit: (e) => events.push(e), music: () => opts.music, spanLate: () => undefined };
  const span = RoomSpan.create(1, 3, 8000);
  span.setHost(0, true);
  const room = new Room({ roomId: 'r', waitForOwner: opts.waitForOwner, musicFile: opts.music ? 'm' : undefined }, span, ctx);
  return { room, span, events };
}

function join(room: Room, ep: FakeEndpoint, i: number, owner = false): void {
  room.add(ep as unknown as Endpoint, i, owner, undefined);
}

test('non-talkers share one encode per codec per tick; talkers get their own minus-self encode (ARCHITECTURE: encode once per codec)', () => {
  const { room } = setup();
  const talkers = [new FakeEndpoint('t0', PCMU, 440), new FakeEndpoint('t1', PCMA, 620), new FakeEndpoint('t2', PCMU, 830)];
  const listeners = Array.from({ length: 40 }, (_, i) => new FakeEndpoint(`l${i}`, i % 2 ? PCMA : PCMU));
  [...talkers, ...listeners].forEach((ep, i) => join(room, ep, i));
  for (let tick = 0; tick < 30; tick++) room.gather(tick);
  for (const l of listeners) {
    assert.is(l.sent.length, 30);
    assert.is(l.encoderCalls, 0, 'a listener never encodes on its own');
    for (const hz of [440, 620, 830]) assert.ok(l.heard(hz) > -30, `${l.id} hears ${hz} Hz`);
  }
  for (const [k, t] of talkers.entries()) {
    assert.ok(t.encoderCalls >= 29, 'each talker gets its own encode');
    assert.ok(t.heard([440, 620, 830][k]!) < -55, `talker ${k} does not hear itself`);
  }
  // The first listeners of each codec received the very same bytes in the same tick.
  assert.equal(listeners[0]!.sent[20], listeners[2]!.sent[20]);
  assert.equal(listeners[1]!.sent[20], listeners[3]!.sent[20]);
});

test('talking started/stopped events follow the voice activity with hangover', () => {
  const { room, events } = setup();
  const a = new FakeEndpoint('a', PCMU, 500);
  join(room, a, 1);
  join(room, new FakeEndpoint('b', PCMU), 2);
  for (let tick = 0; tick < 5; tick++) room.gather(tick);
  assert.equal(events, [{ event: 'talking', endpointId: 'a', roomId: 'r', talking: true }]);
  a.muted = true; // muted: its frames no longer count
  for (let tick = 5; tick < 40; tick++) room.gather(tick);
  assert.equal(events[1], { event: 'talking', endpointId: 'a', roomId: 'r', talking: false });
});

test('deafened participants get silence; muted ones are not mixed', () => {
  const { room } = setup();
  const t = new FakeEndpoint('t', PCMU, 700);
  const m = new FakeEndpoint('m', PCMU, 1300);
  const d = new FakeEndpoint('d', PCMU);
  const l = new FakeEndpoint('l', PCMU);
  m.muted = true;
  d.deafened = true;
  [t, m, d, l].forEach((ep, i) => join(room, ep, i));
  for (let tick = 0; tick < 30; tick++) room.gather(tick);
  assert.ok(l.heard(700) > -30);
  assert.ok(l.heard(1300) < -60, 'the muted talker is not heard');
  assert.ok(d.heard(700) < -60, 'the deafened hears nothing');
  assert.is(d.sent.length, 30, 'the deafened still receives packets');
});

test('wait-for-owner: music for everyone until an owner is in the room (span header), the mix while one is, music again after', () => {
  const music = new MusicChannel(toneSamples(16000, 1000, 16000, { amplitude: 5000 }));
  const { room, span } = setup({ waitForOwner: true, music });
  const t = new FakeEndpoint('t', PCMU, 450);
  const l = new FakeEndpoint('l', PCMU);
  join(room, t, 1);
  join(room, l, 2);
  for (let tick = 0; tick < 20; tick++) room.gather(tick);
  assert.ok(l.heard(1000) > -30, 'music while waiting');
  assert.ok(l.heard(450) < -55, 'no mix while waiting');
  span.addOwners(1); // the engine does this when an owner joins on any worker
  for (let tick = 20; tick < 40; tick++) room.gather(tick);
  assert.ok(l.heard(450) > -30, 'the mix once the owner is present');
  assert.ok(l.heard(1000) < -55);
  span.addOwners(-1); // the owner left
  for (let tick = 40; tick < 60; tick++) room.gather(tick);
  assert.ok(l.heard(1000) > -30, 'music again once the owner has left');
  assert.ok(l.heard(450) < -55);
});

test('a room-wide prompt while waiting for the owner is heard over the music, encoded once for all', () => {
  const music = new MusicChannel(toneSamples(16000, 1000, 16000, { amplitude: 5000 }));
  const { room } = setup({ waitForOwner: true, music });
  const ls = [new FakeEndpoint('a', PCMU), new FakeEndpoint('b', PCMU)];
  ls.forEach((ep, i) => join(room, ep, i));
  room.playToAll(toneSamples(8000, 1600, 8000, { amplitude: 5000 }), false, 'announce');
  for (let tick = 0; tick < 20; tick++) room.gather(tick);
  for (const l of ls) {
    assert.ok(l.heard(1600) > -30, `${l.id} hears the announcement`);
    assert.ok(l.heard(1000) > -30, `${l.id} still hears the music`);
    assert.is(l.encoderCalls, 0);
  }
  assert.equal(ls[0]!.sent[10], ls[1]!.sent[10]);
});

test('a wideband room (16 kHz, set by the engine in the span header): G.722 and G.711 participants hear each other through the resamplers', () => {
  const { room, span } = setup();
  span.setRate(16000);
  const wide = new FakeEndpoint('wide', G722, 600);
  const narrow = new FakeEndpoint('narrow', PCMU, 1100);
  const wl = new FakeEndpoint('wl', G722);
  const nl = new FakeEndpoint('nl', PCMA);
  [wide, narrow, wl, nl].forEach((ep, i) => join(room, ep, i));
  for (let tick = 0; tick < 40; tick++) room.gather(tick);
  assert.is(room.roomRate, 16000);
  for (const l of [wl, nl]) {
    assert.ok(l.heard(600) > -30, `${l.id} hears the G.722 talker (${l.heard(600).toFixed(1)})`);
    assert.ok(l.heard(1100) > -30, `${l.id} hears the G.711 talker (${l.heard(1100).toFixed(1)})`);
  }
  assert.ok(wide.heard(1100) > -30 && wide.heard(600) < -45, 'the G.722 talker hears the other, not itself');
  assert.ok(narrow.heard(600) > -30 && narrow.heard(1100) < -45, 'the G.711 talker hears the other, not itself');
});

test.run();
