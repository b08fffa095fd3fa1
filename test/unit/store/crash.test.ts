import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Directory } from '../../../src/app/directory/directory.js';
import { openStore } from '../../../src/store/store.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'crash-child.js');

/** Runs the child until it prints `marker`, then SIGKILLs it (no exit handler, no cleanup). */
function killChildAt(dataDir: string, mode: string, marker: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dataDir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(marker)) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && out.includes(marker)) resolve();
      else reject(new Error(`child ended with ${code ?? signal} before "${marker}": ${err}`));
    });
  });
}

function seed(dataDir: string): void {
  const store = openStore(dataDir);
  const directory = new Directory(store);
  directory.addUser({ ext: '1001', name: 'Alice' });
  directory.addDevice({ ext: '1001', userExt: '1001', secret: 'alice-desk-1' });
  store.close();
}

test('a process killed mid-change leaves the previous state whole: no device, primary and main extension unchanged', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'softswitch-crash-'));
  seed(dataDir);
  // Another process (the "running switch") keeps the database open throughout.
  const observer = openStore(dataDir);
  await killChildAt(dataDir, 'mid-transaction', 'paused');
  const directory = new Directory(observer);
  assert.is(observer.devices.findByExt('1009'), undefined, 'the half-added device must not exist');
  const alice = directory.user('1001');
  assert.is(alice.user.ext, '1001');
  assert.equal(alice.devices.map((d) => [d.ext, d.primary]), [['1001', true]]);
  // The dead writer's lock is gone: the next change goes through at once.
  directory.addDevice({ ext: '1009', userExt: '1001', secret: 'new-primary-1', primary: true });
  assert.is(directory.user('1009').user.name, 'Alice');
  observer.close();
  const reopened = openStore(dataDir);
  assert.is(reopened.db.pragma('integrity_check', { simple: true }), 'ok');
  reopened.close();
});

test('changes committed before a crash survive it (WAL not yet checkpointed)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'softswitch-crash-'));
  seed(dataDir);
  await killChildAt(dataDir, 'committed', 'committed');
  const store = openStore(dataDir);
  assert.is(store.db.pragma('integrity_check', { simple: true }), 'ok');
  const directory = new Directory(store);
  const carol = directory.user('3001');
  assert.is(carol.user.name, 'Carol');
  assert.equal(carol.devices.map((d) => [d.ext, d.primary, d.mac]), [['3001', true, null], ['3002', false, 'aa:bb:cc:00:11:22']]);
  assert.is(store.devices.findForAuth('3002')?.secret, 'carols-dect-1');
  assert.is(directory.user('1001').devices.length, 1, 'earlier data is intact too');
  store.close();
});

test.run();
