/**
 * A small conference through real UDP: the media engine (real worker threads and sockets)
 * and a set of RTP peers in this process. What each peer receives is decoded and checked
 * with a Goertzel detector, not taken from the engine's own counters.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaEngine, type EngineEvent } from '../../src/mixer/channel/media-engine.js';
import { PCMU } from '../../src/rtp/codec/g711.js';
import { ToneGenerator } from '../../src/dsp/tone.js';
import { goertzelPower, powerToDbov } from '../../src/dsp/goertzel.js';
import { sleep } from '../support/waiting.js';

const PORTS = { min: 30200, max: 30999 };
const TONES = [440, 620, 830];
const payloads = [{ payloadType: 0, codec: 'PCMU' as const }];

/** One RTP peer: sends a tone (or near-silence) every 20 ms, records what it receives. */
class Peer {
  readonly socket: Socket;
  private seq = 0;
  private ts = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly enc = PCMU.createEncoder();
  private readonly dec = PCMU.createDecoder();
  private readonly gen: ToneGenerator | undefined;
  received: Int16Array[] = [];
  recording = false;

  constructor(toneHz: number | undefined) {
    this.socket = createSocket('udp4');
    this.gen = toneHz ? new ToneGenerator(8000, toneHz, { amplitude: 4000 }) : undefined;
    this.socket.on('message', (msg: Buffer) => {
      if (!this.recording || msg.length < 12 + 160) return;
      const pcm = new Int16Array(160);
      this.dec.decode(msg.subarray(12), pcm);
      this.received.push(pcm);
    });
  }

  async bind(): Promise<void> {
    this.socket.bind(0, '127.0.0.1');
    await once(this.socket, 'listening');
  }

  start(enginePort: number): void {
    const pcm = new Int16Array(160);
    this.timer = setInterval(() => {
      if (this.gen) this.gen.fill(pcm);
      else pcm.fill(0);
      const pkt = Buffer.alloc(172);
      pkt[0] = 0x80;
      pkt[1] = 0;
      pkt.writeUInt16BE(this.seq++ & 0xffff, 2);
      pkt.writeUInt32BE(this.ts, 4);
      this.ts = (this.ts + 160) >>> 0;
      pkt.writeUInt32BE(0xabc000 + enginePort, 8);
      this.enc.encode(pcm, pkt.subarray(12));
      this.socket.send(pkt, enginePort, '127.0.0.1');
    }, 20);
  }

  /** dBov of `hz` over what was recorded (whole 8-frame windows, Hann). */
  level(hz: number): number {
    const frames = this.received.slice(5); // skip the first frames (talker selection settling)
    const w = 8;
    let sum = 0;
    let n = 0;
    for (let i = 0; i + w <= frames.length; i += w) {
      const buf = new Int16Array(160 * w);
      for (let k = 0; k < w; k++) buf.set(frames[i + k]!, 160 * k);
      sum += goertzelPower(buf, 8000, hz, 0, buf.length, true);
      n++;
    }
    return powerToDbov(n ? sum / n : 0);
  }

  stop(): void {
    clearInterval(this.timer);
    this.socket.close();
  }
}


async function room(workers: number, size: number, talkers: number, prepare?: (e: MediaEngine, ids: string[]) => Promise<void>): Promise<{ peers: Peer[]; engine: MediaEngine; events: EngineEvent[] }> {
  const engine = await MediaEngine.start({ workers, rtpPorts: PORTS });
  const events: EngineEvent[] = [];
  engine.on('event', (e: EngineEvent) => events.push(e));
  engine.createRoom({ roomId: 'r', joinToneFile: null, leaveToneFile: null });
  const peers: Peer[] = [];
  const ids: string[] = [];
  for (let i = 0; i < size; i++) {
    const peer = new Peer(i < talkers ? TONES[i] : undefined);
    await peer.bind();
    const id = `p${i}`;
    const { localPort } = await engine.createEndpoint({ endpointId: id, payloads, remote: { address: '127.0.0.1', port: peer.socket.address().port } });
    await engine.addToRoom('r', id);
    peer.start(localPort);
    peers.push(peer);
    ids.push(id);
  }
  if (prepare) await prepare(engine, ids);
  await sleep(400);
  for (const p of peers) p.recording = true;
  await sleep(1500);
  for (const p of peers) p.recording = false;
  return { peers, engine, events };
}

async function close(r: { peers: Peer[]; engine: MediaEngine }): Promise<void> {
  for (const p of r.peers) p.stop();
  await r.engine.close();
}

function checkMix(peers: Peer[], talkers: number, skip: Set<number> = new Set()): void {
  peers.forEach((peer, i) => {
    if (skip.has(i)) return;
    assert.ok(peer.received.length > 50, `participant ${i} received ${peer.received.length} frames`);
    for (let t = 0; t < talkers; t++) {
      const db = peer.level(TONES[t]!);
      if (t === i) assert.ok(db < -55, `talker ${i} hears itself at ${db.toFixed(1)} dBov`);
      else assert.ok(db > -30, `participant ${i} hears talker ${t} at only ${db.toFixed(1)} dBov`);
    }
  });
}

test('20 participants, 3 talkers, one worker: everyone hears every talker, no talker hears itself', async () => {
  const r = await room(1, 20, 3);
  try {
    checkMix(r.peers, 3);
    const talking = r.events.filter((e) => e.event === 'talking' && e.talking).map((e) => (e as { endpointId: string }).endpointId);
    assert.equal([...new Set(talking)].sort(), ['p0', 'p1', 'p2']);
  } finally {
    await close(r);
  }
});

test('one room spanning two workers: the talkers of both halves are mixed for everyone (SharedArrayBuffer span)', async () => {
  const r = await room(2, 20, 3);
  try {
    const workers = new Set(r.engine.roomMembers('r').map((m) => m.worker));
    assert.is(workers.size, 2, 'the room really spans two workers');
    checkMix(r.peers, 3);
  } finally {
    await close(r);
  }
});

test('a muted talker is not mixed; a deafened participant hears silence', async () => {
  const r = await room(1, 6, 3, async (e) => {
    await e.mute('p1', true);
    await e.deafen('p4', true);
  });
  try {
    for (const i of [0, 2, 3, 5]) assert.ok(r.peers[i]!.level(TONES[1]!) < -55, `participant ${i} hears the muted talker`);
    assert.ok(r.peers[3]!.level(TONES[0]!) > -30);
    for (const hz of TONES) assert.ok(r.peers[4]!.level(hz) < -55, 'the deafened participant hears the room');
    assert.ok(r.peers[4]!.received.length > 50, 'the deafened participant still receives RTP');
  } finally {
    await close(r);
  }
});

test('wait-for-owner: music until the owner joins, then the mix', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixer-'));
  const music = join(dir, 'moh.sln16');
  const pcm = new Int16Array(16000);
  new ToneGenerator(16000, 1200, { amplitude: 5000 }).fill(pcm);
  writeFileSync(music, Buffer.from(pcm.buffer));
  const engine = await MediaEngine.start({ workers: 1, rtpPorts: PORTS });
  const peers = [new Peer(440), new Peer(undefined), new Peer(undefined)];
  try {
    engine.createRoom({ roomId: 'w', waitForOwner: true, musicFile: music, joinToneFile: null, leaveToneFile: null });
    for (let i = 0; i < 2; i++) {
      await peers[i]!.bind();
      const { localPort } = await engine.createEndpoint({ endpointId: `w${i}`, payloads, remote: { address: '127.0.0.1', port: peers[i]!.socket.address().port } });
      await engine.addToRoom('w', `w${i}`);
      peers[i]!.start(localPort);
    }
    await sleep(300);
    peers[1]!.recording = true;
    await sleep(800);
    peers[1]!.recording = false;
    assert.ok(peers[1]!.level(1200) > -30, 'music while waiting');
    assert.ok(peers[1]!.level(440) < -55, 'no mix while waiting');
    await peers[2]!.bind();
    const { localPort } = await engine.createEndpoint({ endpointId: 'owner', payloads, remote: { address: '127.0.0.1', port: peers[2]!.socket.address().port } });
    await engine.addToRoom('w', 'owner', { owner: true });
    peers[2]!.start(localPort);
    peers[1]!.received = [];
    await sleep(300);
    peers[1]!.recording = true;
    await sleep(800);
    peers[1]!.recording = false;
    assert.ok(peers[1]!.level(440) > -30, 'the mix once the owner is in');
    assert.ok(peers[1]!.level(1200) < -55, 'no music once the owner is in');
  } finally {
    for (const p of peers) p.stop();
    await engine.close();
  }
});

test('music on hold for an endpoint outside any room: heard from the first request; a stop sent while the file loads wins', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixer-'));
  const music = join(dir, 'moh.sln16');
  // Three minutes of music: loading and resampling it takes several ticks.
  const pcm = new Int16Array(16000 * 180);
  new ToneGenerator(16000, 1200, { amplitude: 5000 }).fill(pcm);
  writeFileSync(music, Buffer.from(pcm.buffer));
  const engine = await MediaEngine.start({ workers: 1, rtpPorts: PORTS });
  const held = new Peer(undefined);
  const racing = new Peer(undefined);
  try {
    for (const [peer, id] of [[held, 'held'], [racing, 'racing']] as const) {
      await peer.bind();
      const { localPort } = await engine.createEndpoint({ endpointId: id, payloads, remote: { address: '127.0.0.1', port: peer.socket.address().port } });
      peer.start(localPort);
    }
    // The load is asynchronous: a tick that runs meanwhile drops the idle player, so the
    // music must be attached to the player that exists once the file is loaded.
    await engine.startMusicOnHold('held', music);
    // Sent back to back: the stop is handled while the start still loads the file.
    const start = engine.startMusicOnHold('racing', music);
    await engine.stopMusicOnHold('racing');
    await start;
    await sleep(200);
    held.recording = racing.recording = true;
    await sleep(800);
    held.recording = racing.recording = false;
    assert.ok(held.level(1200) > -30, `the held endpoint hears the music (${held.level(1200).toFixed(1)} dB)`);
    assert.ok(racing.received.length < 5, `music stopped before its file loaded is not played (${racing.received.length} frames)`);
    await engine.stopMusicOnHold('held');
    await sleep(200);
    held.received = [];
    held.recording = true;
    await sleep(400);
    assert.ok(held.received.length < 5, 'the music stops');
  } finally {
    held.stop();
    racing.stop();
    await engine.close();
  }
});

test('relay: two legs with the same codec pass packets through with our own SSRC and sequence', async () => {
  const engine = await MediaEngine.start({ workers: 1, rtpPorts: PORTS });
  const a = new Peer(440);
  const b = new Peer(620);
  try {
    await a.bind();
    await b.bind();
    const ea = await engine.createEndpoint({ endpointId: 'a', payloads, remote: { address: '127.0.0.1', port: a.socket.address().port } });
    const eb = await engine.createEndpoint({ endpointId: 'b', payloads, remote: { address: '127.0.0.1', port: b.socket.address().port }, colocateWith: 'a' });
    assert.equal(await engine.relay('a', 'b'), { mode: 'passthrough' });
    const ssrcs = new Set<number>();
    b.socket.on('message', (m: Buffer) => ssrcs.add(m.readUInt32BE(8)));
    a.start(ea.localPort);
    b.start(eb.localPort);
    a.recording = b.recording = true;
    await sleep(800);
    a.recording = b.recording = false;
    assert.ok(b.level(440) > -30, 'b hears a');
    assert.ok(a.level(620) > -30, 'a hears b');
    assert.ok(a.level(440) < -55, 'a does not hear itself');
    assert.is(ssrcs.size, 1);
    assert.is.not([...ssrcs][0], 0xabc000 + ea.localPort, 'the SSRC is rewritten');
  } finally {
    a.stop();
    b.stop();
    await engine.close();
  }
});

test('a worker that dies ends only its own calls: the relay on the other worker keeps flowing, a replacement takes new calls', async () => {
  const engine = await MediaEngine.start({ workers: 2, rtpPorts: PORTS });
  const events: EngineEvent[] = [];
  engine.on('event', (e: EngineEvent) => events.push(e));
  const peers = [new Peer(440), new Peer(620), new Peer(830), new Peer(1000)];
  try {
    for (const p of peers) await p.bind();
    const ports: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await engine.createEndpoint({ endpointId: `e${i}`, payloads, remote: { address: '127.0.0.1', port: peers[i]!.socket.address().port }, worker: i < 2 ? 0 : 1 });
      ports.push(r.localPort);
    }
    await engine.relay('e0', 'e1');
    await engine.relay('e2', 'e3');
    peers.forEach((p, i) => p.start(ports[i]!));
    await sleep(300);
    await engine.crashWorker(0).catch(() => undefined);
    await sleep(300);
    const lost = events.find((e) => e.event === 'worker.lost') as Extract<EngineEvent, { event: 'worker.lost' }> | undefined;
    assert.ok(lost, 'worker.lost emitted');
    assert.is(lost!.worker, 0);
    assert.equal(lost!.endpoints.sort(), ['e0', 'e1']);
    peers[3]!.recording = true;
    await sleep(600);
    peers[3]!.recording = false;
    assert.ok(peers[3]!.level(830) > -30, 'the relay on the surviving worker still carries audio');
    assert.ok(events.some((e) => e.event === 'worker.restarted' && e.worker === 0));
    const again = await engine.createEndpoint({ endpointId: 'fresh', payloads, worker: 0, remote: { address: '127.0.0.1', port: peers[0]!.socket.address().port } });
    assert.ok(again.localPort > 0, 'the replacement worker takes new endpoints');
  } finally {
    for (const p of peers) p.stop();
    await engine.close();
  }
});

test.run();
