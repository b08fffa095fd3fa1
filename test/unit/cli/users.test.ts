import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CliHarness, type CliResult } from './cli-harness.js';

function ok(r: CliResult): CliResult {
  assert.is(r.stderr, '', 'no error output');
  assert.is(r.code, 0);
  return r;
}

function refused(r: CliResult, code: number, line: string): void {
  assert.is(r.stderr, `error: ${line}\n`);
  assert.is(r.stdout, '');
  assert.is(r.code, code);
}

test('user add, then list as an aligned table', async () => {
  const h = new CliHarness();
  assert.is(ok(await h.cli('user', 'add', '1001', '--name', 'Alice Martin', '--cli', '+4930123456')).stdout, 'added user 1001 (Alice Martin)\n');
  ok(await h.cli('user', 'add', '22', '--name', 'Bob', '--mobile', '+491701234567'));
  assert.is(
    ok(await h.cli('user', 'list')).stdout,
    'EXT   NAME          CALLER ID    MOBILE         PRIMARY  DEVICES\n' +
      '22    Bob           -            +491701234567  -        -\n' +
      '1001  Alice Martin  +4930123456  -              -        -\n',
  );
});

test('user list and show --json: stable field names, devices included, no secrets', async () => {
  const h = new CliHarness();
  ok(await h.cli('user', 'add', '1001', '--name', 'Alice'));
  ok(await h.cli('device', 'add', '1001', '--user', '1001', '--secret', 'Xk7#pQ2!vR', '--model', 'T54W', '--mac', '80-5E-C0-12-34-56'));
  const shown = JSON.parse(ok(await h.cli('user', 'show', '1001', '--json')).stdout);
  const listed = JSON.parse(ok(await h.cli('user', 'list', '--json')).stdout);
  assert.equal(listed, [shown]);
  assert.equal(Object.keys(shown), ['ext', 'name', 'callerId', 'mobile', 'primaryDevice', 'devices', 'createdAt', 'updatedAt']);
  assert.equal({ ...shown, createdAt: 'x', updatedAt: 'x', devices: [] }, { ext: '1001', name: 'Alice', callerId: null, mobile: null, primaryDevice: '1001', devices: [], createdAt: 'x', updatedAt: 'x' });
  assert.equal(Object.keys(shown.devices[0]), ['ext', 'user', 'userName', 'model', 'mac', 'enabled', 'primary', 'authAlgorithms', 'contacts', 'createdAt', 'updatedAt']);
  assert.equal(
    { ...shown.devices[0], createdAt: 'x', updatedAt: 'x' },
    { ext: '1001', user: '1001', userName: 'Alice', model: 'T54W', mac: '80:5e:c0:12:34:56', enabled: true, primary: true, authAlgorithms: null, contacts: 0, createdAt: 'x', updatedAt: 'x' },
  );
  assert.match(shown.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('user show prints the fields and the device table', async () => {
  const h = new CliHarness();
  ok(await h.cli('user', 'add', '1001', '--name', 'Alice'));
  ok(await h.cli('device', 'add', '1001', '--user', '1001', '--secret', 'Xk7#pQ2!vR'));
  const out = ok(await h.cli('user', 'show', '1001')).stdout;
  assert.match(out, /^extension  1001\nname       Alice\ncaller ID  - \(presents 1001\)\nmobile     -\nprimary    1001\n/);
  assert.match(out, /\nEXT   MODEL  MAC  STATE    PRIMARY  AUTH     CONTACTS\n1001  -      -    enabled  yes      default  0\n$/);
});

test('user edit changes, clears, and reports the main extension change', async () => {
  const h = new CliHarness();
  ok(await h.cli('user', 'add', '1001', '--name', 'Alice', '--cli', '+4930123456'));
  ok(await h.cli('device', 'add', '1002', '--user', '1001', '--secret', 'Xk7#pQ2!vR'));
  assert.is(
    ok(await h.cli('user', 'edit', '1001', '--name', 'Alice M', '--no-cli', '--ext', '1002')).stdout,
    'updated user 1002 (Alice M)\n  main extension of Alice M changed from 1001 to 1002\n  device 1002 is now the primary device of Alice M\n',
  );
  const user = JSON.parse(ok(await h.cli('user', 'show', '1002', '--json')).stdout);
  assert.equal([user.name, user.callerId, user.primaryDevice], ['Alice M', null, '1002']);
  refused(await h.cli('user', 'edit', '1002'), 2, 'nothing to change: give at least one of --name, --cli, --no-cli, --mobile, --no-mobile, --ext');
});

test('user rm needs --force when the user has devices', async () => {
  const h = new CliHarness();
  ok(await h.cli('user', 'add', '1001', '--name', 'Alice'));
  ok(await h.cli('device', 'add', '1001', '--user', '1001', '--secret', 'Xk7#pQ2!vR'));
  refused(await h.cli('user', 'rm', '1001'), 1, 'user 1001 (Alice) has 1 device (1001); add --force to remove the user with its devices');
  assert.is(ok(await h.cli('user', 'rm', '1001', '--force')).stdout, 'removed user 1001 (Alice) with 1 device (1001) and 0 registrations\n');
  assert.is(ok(await h.cli('user', 'list')).stdout, 'no users\n');
  assert.equal(JSON.parse(ok(await h.cli('device', 'list', '--json')).stdout), []);
});

test('bad user input: one line, exit 1', async () => {
  const h = new CliHarness();
  ok(await h.cli('user', 'add', '1001', '--name', 'Alice'));
  refused(await h.cli('user', 'add', '1001', '--name', 'Bob'), 1, 'extension 1001 is already used by user Alice');
  refused(await h.cli('user', 'add', '1', '--name', 'Bob'), 1, 'extension must be 2 to 10 digits, got "1"');
  refused(await h.cli('user', 'add', '2001', '--name', 'Bob', '--cli', '030-123'), 1, 'caller ID must be an optional + then 2 to 20 digits, got "030-123"');
  refused(await h.cli('user', 'add', '2001', '--name', 'Bob\u001b[2J'), 1, 'name must not contain control characters');
  refused(await h.cli('user', 'show', '1234'), 1, 'unknown user 1234');
  refused(await h.cli('user', 'rm', '1234'), 1, 'unknown user 1234');
});

test.run();
