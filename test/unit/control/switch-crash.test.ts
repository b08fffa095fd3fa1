// A switch process that crashes (SIGKILL) and the next one on the same data directory:
// the control socket as a lock, the stale socket file, and the history row left live.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlClient, ControlConnectError } from '../../../src/app/control/control-client.js';
import { controlSocketPath } from '../../../src/app/control/control-protocol.js';
import { ControlServer, SwitchAlreadyRunningError } from '../../../src/app/control/control-server.js';
import { openStore } from '../../../src/store/store.js';
import { captureLog, rejects, tempDataDir } from './control-fixtures.js';

const childScript = join(dirname(fileURLToPath(import.meta.url)), 'switch-child.js');

function startChild(dataDir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [childScript, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve(proc);
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => reject(new Error(`child exited (${code}) before ready: ${err}`)));
  });
}

function kill(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

test('while a switch runs, another process cannot start one on its data directory; after a crash the next one can', async () => {
  const dataDir = tempDataDir();
  const child = await startChild(dataDir);
  const path = controlSocketPath(dataDir);
  try {
    const second = new ControlServer(path, captureLog().logger);
    await rejects(second.start(), (e) => e instanceof SwitchAlreadyRunningError && e.message === `another switch is running on ${dataDir}`);
    const client = await ControlClient.connect(path);
    assert.equal(await client.call('calls.list'), [{ id: 'call-in-progress' }], 'the running switch still answers');
    client.close();
  } finally {
    await kill(child);
  }

  // The crash left the socket file behind: nothing listens on it.
  assert.ok(lstatSync(path).isSocket());
  await rejects(ControlClient.connect(path), (e) =>
    e instanceof ControlConnectError && e.reason === 'refused' && e.message === `the switch is not running (nothing listens on ${path})`);

  // The next switch replaces the stale socket and closes the call the crash left live.
  const log = captureLog();
  const next = new ControlServer(path, log.logger);
  next.register({ 'calls.list': () => [] });
  await next.start();
  assert.ok(log.events().includes('control.stale_socket'));
  const store = openStore(dataDir);
  assert.is(store.calls.closeDangling(1_700_000_100_000), 1);
  const row = store.calls.get('call-in-progress')!;
  assert.equal([row.answeredAt, row.endedAt, row.disposition, row.endReason], [1_700_000_002_000, 1_700_000_100_000, 'failed', 'switch restarted']);
  store.close();
  const client = await ControlClient.connect(path);
  assert.equal(await client.call('calls.list'), []);
  client.close();
  await next.stop();
});

test.run();
