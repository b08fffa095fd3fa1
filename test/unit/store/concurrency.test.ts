import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Directory, DirectoryError } from '../../../src/app/directory/directory.js';
import { openStore } from '../../../src/store/store.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'crash-child.js');

test('two processes adding the same extension at once: the second waits for the lock, then gets the conflict, not a SQLite error', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'softswitch-lock-'));
  const store = openStore(dataDir); // opened (and migrated) before the child takes the lock
  const directory = new Directory(store);
  const proc = spawn(process.execPath, [child, dataDir, 'hold-lock'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  await new Promise<void>((resolve) => proc.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));
  // The child holds the write lock with Dave (4001) not yet committed; this call blocks in
  // busy_timeout (up to 5 s) until the child commits, then checks the plan against Dave.
  let error: unknown;
  try {
    directory.addUser({ ext: '4001', name: 'Erin' });
  } catch (err) {
    error = err;
  }
  assert.instance(error, DirectoryError);
  assert.is((error as Error).message, 'extension 4001 is already used by user Dave');
  assert.equal(store.users.list().map((u) => u.name), ['Dave']);
  assert.is(await exited, 0);
  store.close();
});

test.run();
