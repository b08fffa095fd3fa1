// The control socket over a real Unix domain socket in a temporary directory (local IPC).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ControlClient } from '../../../src/app/control/control-client.js';
import { controlSocketPath } from '../../../src/app/control/control-protocol.js';
import { ControlMethodError, ControlServer, SwitchAlreadyRunningError } from '../../../src/app/control/control-server.js';
import { silentLogger } from '../../../src/log/logger.js';
import { FakeClock } from '../../support/fake-clock.js';
import { captureLog, deferred, RawClient, rejects, tempDataDir, until } from './control-fixtures.js';

async function started(opts: ConstructorParameters<typeof ControlServer>[2] = {}, logger = silentLogger): Promise<ControlServer> {
  const server = new ControlServer(controlSocketPath(tempDataDir()), logger, opts);
  server.register({ echo: (params) => params, add: async (p) => (p.a as number) + (p.b as number) });
  await server.start();
  return server;
}

test('answers a registered method with its result, matched by id', async () => {
  const server = await started();
  const c = await RawClient.open(server.socketPath);
  c.send('{"id":1,"method":"echo","params":{"x":[1,"y"]}}\n{"id":"two","method":"add","params":{"a":2,"b":3}}\n');
  const lines = await c.lineCount(2);
  assert.equal(lines.map((l) => JSON.parse(l)).sort((a, b) => String(a.id).localeCompare(String(b.id))), [
    { id: 1, result: { x: [1, 'y'] } },
    { id: 'two', result: 5 },
  ]);
  c.destroy();
  await server.stop();
});

test('the socket is <data>/control.sock, mode 0600, and is removed at stop', async () => {
  const dir = tempDataDir();
  const server = new ControlServer(controlSocketPath(dir), silentLogger);
  await server.start();
  const st = statSync(join(dir, 'control.sock'));
  assert.ok(st.isSocket());
  assert.is(st.mode & 0o777, 0o600);
  await server.stop();
  assert.not.ok(existsSync(join(dir, 'control.sock')));
});

test('garbage, a request without method and an unknown method each get one error line; the connection stays usable', async () => {
  const server = await started();
  const c = await RawClient.open(server.socketPath);
  c.send('hello there\n\n{"id":1}\n{"id":2,"method":"room.kick"}\n{"id":3,"method":"echo","params":{"ok":true}}\n');
  assert.equal((await c.lineCount(4)).map((l) => JSON.parse(l)), [
    { id: null, error: 'invalid request: not JSON' },
    { id: 1, error: 'invalid request: "method" must be a non-empty string' },
    { id: 2, error: 'unknown method room.kick' },
    { id: 3, result: { ok: true } },
  ]);
  c.destroy();
  await server.stop();
});

test('method names are looked up as own names only: "toString" and "__proto__" are unknown methods', async () => {
  const server = await started();
  const client = await ControlClient.connect(server.socketPath);
  await rejects(client.call('toString'), /unknown method toString/);
  await rejects(client.call('__proto__'), /unknown method __proto__/);
  client.close();
  await server.stop();
});

test('a handler that throws answers one error line, is logged with the method, and the switch carries on', async () => {
  const log = captureLog();
  const server = await started({}, log.logger);
  server.register({
    'calls.list': () => {
      throw new TypeError("Cannot read properties of undefined (reading 'legs')\n    at somewhere");
    },
    'calls.hangup': async () => {
      throw new ControlMethodError('no live call 3f2c');
    },
  });
  const client = await ControlClient.connect(server.socketPath);
  await rejects(client.call('calls.list'), (err: Error) => err.message === "calls.list failed: Cannot read properties of undefined (reading 'legs')");
  await rejects(client.call('calls.hangup', { call: '3f2c' }), (err: Error) => err.message === 'no live call 3f2c');
  assert.is(await client.call('add', { a: 1, b: 1 }), 2);
  const failed = log.entries.find((e) => e.event === 'control.handler_failed');
  assert.ok(failed, 'the unexpected failure is logged');
  assert.is(failed!.method, 'calls.list');
  assert.is(failed!.level, 50, 'at error level');
  assert.ok(log.entries.some((e) => e.event === 'control.refused' && e.level === 20), 'an operator refusal only at debug');
  client.close();
  await server.stop();
});

test('a handler that never settles is answered with an error after handlerTimeoutMs, and logged', async () => {
  const log = captureLog();
  const server = await started({ handlerTimeoutMs: 30 }, log.logger);
  server.register({ stuck: () => new Promise(() => {}) });
  const client = await ControlClient.connect(server.socketPath);
  await rejects(client.call('stuck'), (err: Error) => err.message === 'stuck failed: stuck did not finish within 0.03 s');
  assert.ok(log.entries.some((e) => e.event === 'control.handler_failed' && e.method === 'stuck'));
  client.close();
  await server.stop();
});

test('a request line over the cap gets one error line and the connection is closed; others are unaffected', async () => {
  const log = captureLog();
  const server = await started({ maxRequestBytes: 1024 }, log.logger);
  const other = await ControlClient.connect(server.socketPath);
  const c = await RawClient.open(server.socketPath);
  c.send(`{"id":1,"method":"echo","params":{"x":"${'a'.repeat(4096)}`); // no LF ever comes
  await c.closedByServer();
  assert.equal(c.lines, ['{"id":null,"error":"request line longer than 1024 bytes"}']);
  assert.ok(log.events().includes('control.request_too_long'));
  assert.equal(await other.call('echo', { still: 'here' }), { still: 'here' });
  other.close();
  await server.stop();
});

test('a client that leaves mid-request loses its answer; nothing breaks', async () => {
  const log = captureLog();
  const server = await started({}, log.logger);
  const slow = deferred<string>();
  let called = false;
  server.register({ slow: () => ((called = true), slow.promise) });
  const c = await RawClient.open(server.socketPath);
  c.send('{"id":1,"method":"slow"}\n');
  await until(() => called, 'the handler runs');
  c.destroy();
  slow.resolve('too late');
  // The answer goes nowhere (EPIPE, or dropped when the socket is already gone) and the connection is let go.
  await until(() => server.clients === 0, 'the server lets the client go');
  assert.not.ok(log.entries.some((e) => e.event === 'control.handler_failed'));
  const client = await ControlClient.connect(server.socketPath);
  assert.is(await client.call('add', { a: 20, b: 22 }), 42);
  client.close();
  await server.stop();
});

test('a client that half-closes after its request still gets the answer (nc -N, socat)', async () => {
  const server = await started();
  const c = await RawClient.open(server.socketPath);
  c.socket.end('{"id":9,"method":"add","params":{"a":4,"b":5}}\n');
  await c.closedByServer();
  assert.equal(c.lines, ['{"id":9,"result":9}']);
  await server.stop();
});

test('at most maxInFlight requests of one client run at once; the rest wait their turn', async () => {
  const server = await started({ maxInFlight: 2 });
  const gates = [deferred(), deferred(), deferred(), deferred()];
  let calls = 0;
  server.register({ gated: (p) => gates[(calls++, p.n as number)]!.promise.then(() => p.n) });
  const c = await RawClient.open(server.socketPath);
  c.send([0, 1, 2, 3].map((n) => `{"id":${n},"method":"gated","params":{"n":${n}}}\n`).join(''));
  await until(() => calls === 2, 'two requests start');
  // A full round trip on another connection: the server has read everything the first sent by now.
  const other = await ControlClient.connect(server.socketPath);
  assert.is(await other.call('add', { a: 0, b: 0 }), 0);
  assert.is(calls, 2, 'the third waits while two are in flight');
  gates[1]!.resolve(undefined);
  await until(() => calls === 3, 'the third starts when one finishes');
  for (const g of gates) g.resolve(undefined);
  assert.equal((await c.lineCount(4)).map((l) => JSON.parse(l).id).sort(), [0, 1, 2, 3]);
  other.close();
  c.destroy();
  await server.stop();
});

test('an idle client is disconnected after idleTimeoutMs; a busy one is not', async () => {
  const server = await started({ idleTimeoutMs: 30 });
  const idle = await RawClient.open(server.socketPath);
  await idle.closedByServer();
  const gate = deferred();
  server.register({ wait: () => gate.promise.then(() => 'done') });
  const busy = await RawClient.open(server.socketPath);
  busy.send('{"id":1,"method":"wait"}\n');
  // Let several idle periods pass while the request is in flight (a second idle client marks them).
  const marker = await RawClient.open(server.socketPath);
  await marker.closedByServer();
  assert.not.ok(busy.closed, 'a client with a request in flight is not idle');
  gate.resolve(undefined);
  assert.equal(await busy.lineCount(1), ['{"id":1,"result":"done"}']);
  await server.stop();
});

test('switch.status is built in: pid, start time, uptime, data directory, methods', async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const dir = tempDataDir();
  const server = new ControlServer(controlSocketPath(dir), silentLogger, { clock, status: () => ({ ports: { udp: 5060 } }) });
  server.register({ 'calls.list': () => [] });
  await server.start();
  clock.advance(90_500);
  const client = await ControlClient.connect(server.socketPath);
  assert.equal(await client.call('switch.status'), {
    pid: process.pid,
    startedAt: 1_700_000_000_000,
    uptimeS: 90,
    dataDir: dir,
    methods: ['calls.list', 'switch.status'],
    ports: { udp: 5060 },
  });
  client.close();
  await server.stop();
});

test('registering a method name twice is refused', () => {
  const server = new ControlServer(controlSocketPath(tempDataDir()), silentLogger);
  server.register({ 'calls.list': () => [] });
  assert.throws(() => server.register({ 'calls.list': () => [] }), /control method calls.list is already registered/);
  assert.throws(() => server.register({ 'switch.status': () => ({}) }), /already registered/);
});

test('a second switch on the same data directory refuses to start; the first keeps its socket', async () => {
  const dir = tempDataDir();
  const first = new ControlServer(controlSocketPath(dir), silentLogger);
  first.register({ 'calls.list': () => ['first'] });
  await first.start();
  const second = new ControlServer(controlSocketPath(dir), silentLogger);
  await rejects(second.start(), (err: Error) => err instanceof SwitchAlreadyRunningError && err.message === `another switch is running on ${dir}`);
  assert.not.ok(second.listening);
  const client = await ControlClient.connect(first.socketPath);
  assert.equal(await client.call('calls.list'), ['first']);
  client.close();
  await first.stop();
});

test('a file at the socket path that is not a socket is left alone and named', async () => {
  const dir = tempDataDir();
  writeFileSync(join(dir, 'control.sock'), 'notes');
  const server = new ControlServer(controlSocketPath(dir), silentLogger);
  await rejects(server.start(), (err: Error) => err.message === `${join(dir, 'control.sock')} exists and is not a socket; remove it`);
  assert.ok(existsSync(join(dir, 'control.sock')));
});

test('a socket path longer than sun_path is refused instead of silently truncated', async () => {
  const path = join(tempDataDir(), 'd'.repeat(100), 'control.sock');
  const server = new ControlServer(path, silentLogger);
  await rejects(server.start(), /control socket path too long \(\d+ bytes, at most 10[37]\)/);
});

test('stop disconnects clients (their pending calls fail at once) and the server can start again', async () => {
  const server = await started();
  server.register({ never: () => new Promise(() => {}) });
  const client = await ControlClient.connect(server.socketPath);
  const pending = client.call('never', {}, { timeoutMs: 60_000 });
  await until(() => server.clients === 1, 'connected');
  await server.stop();
  await rejects(pending, /the switch closed the control connection \(never\)/);
  await server.start();
  const again = await ControlClient.connect(server.socketPath);
  assert.is(await again.call('add', { a: 1, b: 2 }), 3);
  again.close();
  await server.stop();
});

test.run();
