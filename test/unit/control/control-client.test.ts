import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Socket } from 'node:net';
import { ControlCallError, ControlClient, ControlConnectError, ControlTimeoutError } from '../../../src/app/control/control-client.js';
import { controlSocketPath } from '../../../src/app/control/control-protocol.js';
import { ControlServer } from '../../../src/app/control/control-server.js';
import { silentLogger } from '../../../src/log/logger.js';
import { rejects, tempDataDir } from './control-fixtures.js';

test('no socket file: "the switch is not running (no <path>)"', async () => {
  const path = controlSocketPath(tempDataDir());
  await rejects(ControlClient.connect(path), (err: Error) =>
    err instanceof ControlConnectError && err.reason === 'absent' && err.message === `the switch is not running (no ${path})`);
});

test('calls are pipelined and matched by id, whatever order the answers come in', async () => {
  const server = new ControlServer(controlSocketPath(tempDataDir()), silentLogger);
  let releaseFirst!: () => void;
  server.register({
    first: () => new Promise<string>((r) => (releaseFirst = () => r('one'))),
    second: () => 'two',
  });
  await server.start();
  const client = await ControlClient.connect(server.socketPath);
  const one = client.call<string>('first');
  assert.is(await client.call<string>('second'), 'two');
  releaseFirst();
  assert.is(await one, 'one');
  client.close();
  await server.stop();
});

test('an error answer rejects with ControlCallError carrying the one line', async () => {
  const server = new ControlServer(controlSocketPath(tempDataDir()), silentLogger);
  await server.start();
  const client = await ControlClient.connect(server.socketPath);
  await rejects(client.call('calls.nope'), (err: Error) => err instanceof ControlCallError && err.message === 'unknown method calls.nope');
  client.close();
  await server.stop();
});

test('a switch that accepts but never answers: the call times out', async () => {
  const path = controlSocketPath(tempDataDir());
  const accepted: Socket[] = [];
  const mute = createServer((s) => void accepted.push(s)); // reads nothing, answers nothing
  await new Promise<void>((r) => mute.listen(path, r));
  const client = await ControlClient.connect(path, { timeoutMs: 40 });
  await rejects(client.call('calls.list'), (err: Error) =>
    err instanceof ControlTimeoutError && err.message === 'the switch did not answer calls.list within 0.04 s');
  client.close();
  for (const s of accepted) s.destroy(); // it never reads, so it would never see the client leave
  await new Promise<void>((r) => mute.close(() => r()));
});

test('a line that is not JSON from the switch fails what is pending instead of hanging', async () => {
  const path = controlSocketPath(tempDataDir());
  const broken = createServer((s) => s.on('data', () => s.write('<html>\n')));
  await new Promise<void>((r) => broken.listen(path, r));
  const client = await ControlClient.connect(path);
  await rejects(client.call('calls.list'), /the switch sent a line that is not JSON \(calls.list\)/);
  await rejects(client.call('calls.list'), /the control connection is closed/);
  await new Promise<void>((r) => broken.close(() => r()));
});

test.run();
