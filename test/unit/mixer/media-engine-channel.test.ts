import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MediaEngine, type EngineEvent } from '../../../src/mixer/channel/media-engine.js';
import { WorkerGoneError, MediaRequestError } from '../../../src/mixer/channel/worker-link.js';

const script = new URL('./fixtures/scripted-worker.js', import.meta.url);
const pcmu = [{ payloadType: 0, codec: 'PCMU' as const }];

function nextEvent(engine: MediaEngine, name: string): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const on = (e: EngineEvent): void => {
      if (e.event !== name) return;
      engine.off('event', on);
      resolve(e);
    };
    engine.on('event', on);
  });
}

test('a dying worker rejects its pending requests, names its endpoints and rooms, and is replaced', async () => {
  const engine = await MediaEngine.start({ workers: 2, workerScript: script, rtpPorts: { min: 30000, max: 30100 } });
  try {
    await engine.createEndpoint({ endpointId: 'a', payloads: pcmu, worker: 0 });
    await engine.createEndpoint({ endpointId: 'b', payloads: pcmu, worker: 1 });
    engine.createRoom({ roomId: 'r1' });
    await engine.addToRoom('r1', 'a');
    const pending = engine.endpointStats('a'); // the scripted worker never answers this
    const lost = nextEvent(engine, 'worker.lost');
    const restarted = nextEvent(engine, 'worker.restarted');
    await engine.crashWorker(0).catch(() => undefined);
    const err = await pending.then(() => undefined, (e: unknown) => e);
    assert.instance(err, WorkerGoneError);
    assert.is((err as WorkerGoneError).worker, 0);
    const e = (await lost) as Extract<EngineEvent, { event: 'worker.lost' }>;
    assert.is(e.worker, 0);
    assert.is(e.exitCode, 70);
    assert.equal(e.endpoints, ['a']);
    assert.equal(e.rooms, ['r1']);
    await restarted;
    // The survivor and the replacement both answer; the lost endpoint is gone.
    const stats = await engine.workerStats();
    assert.equal(stats.map((s) => s.worker).sort(), [0, 1]);
    assert.is(engine.workerOf('a'), undefined);
    assert.is(engine.workerOf('b'), 1);
    assert.is(engine.roomMembers('r1').length, 0);
  } finally {
    await engine.close();
  }
});

test('a request to a dead worker fails at once instead of hanging', async () => {
  const engine = await MediaEngine.start({ workers: 1, workerScript: script, restartWorkers: false, rtpPorts: { min: 30000, max: 30100 } });
  try {
    const lost = nextEvent(engine, 'worker.lost');
    await engine.crashWorker(0).catch(() => undefined);
    await lost;
    const err = await engine.workerStats().then(() => undefined, (e: unknown) => e);
    // No live worker: workerStats asks nobody; crashWorker on the dead link rejects.
    assert.is(err, undefined);
    const err2 = await engine.crashWorker(0).then(() => undefined, (e: unknown) => e);
    assert.instance(err2, WorkerGoneError);
  } finally {
    await engine.close();
  }
});

test('a worker error answers the request with the worker’s message and code', async () => {
  const engine = await MediaEngine.start({ workers: 1, workerScript: script, rtpPorts: { min: 30000, max: 30100 } });
  try {
    await engine.createEndpoint({ endpointId: 'x', payloads: pcmu });
    const err = await engine.mute('x', true).then(() => undefined, (e: unknown) => e);
    assert.instance(err, MediaRequestError);
    assert.is((err as MediaRequestError).code, 'no-endpoint');
  } finally {
    await engine.close();
  }
});

test('a port already in use is skipped: the next even port is tried', async () => {
  const engine = await MediaEngine.start({ workers: 1, workerScript: script, rtpPorts: { min: 31000, max: 31010 } });
  try {
    const r = await engine.createEndpoint({ endpointId: 'p', payloads: pcmu });
    assert.is(r.localPort, 31002); // 31000 answered EADDRINUSE
  } finally {
    await engine.close();
  }
});

test('endpoints spread over workers; colocateWith keeps relay legs together', async () => {
  const engine = await MediaEngine.start({ workers: 2, workerScript: script, rtpPorts: { min: 30000, max: 30100 } });
  try {
    const a = await engine.createEndpoint({ endpointId: 'a', payloads: pcmu });
    const b = await engine.createEndpoint({ endpointId: 'b', payloads: pcmu });
    assert.is.not(a.worker, b.worker);
    const c = await engine.createEndpoint({ endpointId: 'c', payloads: pcmu, colocateWith: 'a' });
    assert.is(c.worker, a.worker);
    assert.throws(() => engine.relay('a', 'b'), /different workers/);
    assert.equal(await engine.relay('a', 'c'), null); // the scripted worker answers null
  } finally {
    await engine.close();
  }
});

test('concurrent joins on one worker create its share of the room once; the last leave destroys it', async () => {
  const engine = await MediaEngine.start({ workers: 1, workerScript: script, rtpPorts: { min: 30000, max: 30100 } });
  const seen: string[] = [];
  engine.on('event', (e) => {
    if (e.event === 'log') seen.push(e.msg);
  });
  try {
    engine.createRoom({ roomId: 'c' });
    for (let i = 0; i < 5; i++) await engine.createEndpoint({ endpointId: `m${i}`, payloads: pcmu });
    await Promise.all([0, 1, 2, 3, 4].map((i) => engine.addToRoom('c', `m${i}`)));
    assert.equal(seen, ['room.create']);
    const again = await engine.addToRoom('c', 'm0').then(() => undefined, (e: Error) => e.message);
    assert.match(again ?? '', /already in room/);
    for (let i = 0; i < 4; i++) await engine.removeFromRoom('c', `m${i}`);
    assert.equal(seen, ['room.create']);
    await engine.removeFromRoom('c', 'm4');
    assert.equal(seen, ['room.create', 'room.destroy']);
    await engine.addToRoom('c', 'm0');
    assert.equal(seen, ['room.create', 'room.destroy', 'room.create']);
  } finally {
    await engine.close();
  }
});

test.run();
