// The installed entry point (bin/softswitch.js) run as a real process: exit codes and
// stderr as an operator's shell sees them. No sockets: `start` is tested in-process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'bin', 'softswitch.js');
const root = mkdtempSync(join(tmpdir(), 'softswitch-bin-'));
const config = join(root, 'config.yaml');
writeFileSync(config, 'data: ./data\n');

function softswitch(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, SOFTSWITCH_CONFIG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bin/softswitch.js: success prints to stdout and exits 0', () => {
  assert.equal(softswitch('user', 'add', '1001', '--name', 'Alice', '--config', config), { code: 0, stdout: 'added user 1001 (Alice)\n', stderr: '' });
  const list = softswitch('user', 'list', '--json', '--config', config);
  assert.is(list.code, 0);
  assert.is(JSON.parse(list.stdout)[0].name, 'Alice');
});

test('bin/softswitch.js: refused input is one stderr line and exit 1', () => {
  assert.equal(softswitch('user', 'add', '1001', '--name', 'Bob', '--config', config), { code: 1, stdout: '', stderr: 'error: extension 1001 is already used by user Alice\n' });
});

test('bin/softswitch.js: usage errors are one stderr line and exit 2', () => {
  assert.equal(softswitch('user', 'add', '1002'), { code: 2, stdout: '', stderr: "error: required option '--name <name>' not specified\n" });
  assert.equal(softswitch('bogus'), { code: 2, stdout: '', stderr: "error: unknown command 'bogus'\n" });
});

test.run();
