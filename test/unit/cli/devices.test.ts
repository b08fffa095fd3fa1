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

async function withAlice(): Promise<CliHarness> {
  const h = new CliHarness();
  ok(await h.cli('user', 'add', '1001', '--name', 'Alice'));
  ok(await h.cli('device', 'add', '1001', '--user', '1001', '--secret', 'Xk7#pQ2!vR', '--model', 'T54W'));
  return h;
}

test('device add reports the primary rule and the main extension change', async () => {
  const h = await withAlice();
  assert.is(
    ok(await h.cli('device', 'add', '1002', '--user', '1001', '--secret', 'dect-pass-9', '--primary')).stdout,
    'added device 1002 for Alice (1002)\n  device 1002 is now the primary device of Alice (was 1001)\n  main extension of Alice changed from 1001 to 1002\n',
  );
  assert.is(ok(await h.cli('device', 'add', '1003', '--user', '1002', '--secret', 'soft-pass-9', '--disabled')).stdout, 'added device 1003 for Alice (1002), disabled\n');
  assert.is(
    ok(await h.cli('device', 'list')).stdout,
    'EXT   USER  NAME   MODEL  MAC  STATE     PRIMARY  AUTH     CONTACTS\n' +
      '1002  1002  Alice  -      -    enabled   yes      default  0\n' +
      '1001  1002  Alice  T54W   -    enabled   -        default  0\n' +
      '1003  1002  Alice  -      -    disabled  -        default  0\n',
  );
});

test('device list --user filters; --json gives the documented fields', async () => {
  const h = await withAlice();
  ok(await h.cli('user', 'add', '2001', '--name', 'Bob'));
  ok(await h.cli('device', 'add', '2001', '--user', '2001', '--secret', 'bobs-pass-9'));
  const bob = JSON.parse(ok(await h.cli('device', 'list', '--user', '2001', '--json')).stdout);
  assert.equal(bob.map((d: { ext: string; userName: string }) => [d.ext, d.userName]), [['2001', 'Bob']]);
  assert.equal(JSON.parse(ok(await h.cli('device', 'list', '--json')).stdout).length, 2);
  refused(await h.cli('device', 'list', '--user', '3001'), 1, 'unknown user 3001');
});

test('device show hides the secret unless asked', async () => {
  const h = await withAlice();
  const shown = ok(await h.cli('device', 'show', '1001')).stdout;
  assert.match(shown, /^secret +\*{8} \(--show-secret to see it\)$/m);
  assert.not.match(shown, /Xk7#pQ2!vR/);
  assert.match(ok(await h.cli('device', 'show', '1001', '--show-secret')).stdout, /^secret +Xk7#pQ2!vR$/m);
  assert.is(JSON.parse(ok(await h.cli('device', 'show', '1001', '--json')).stdout).secret, undefined);
  assert.is(JSON.parse(ok(await h.cli('device', 'show', '1001', '--json', '--show-secret')).stdout).secret, 'Xk7#pQ2!vR');
});

test('--secret - reads the secret from stdin, keeping it out of ps and shell history', async () => {
  const h = await withAlice();
  h.stdin = 'from-stdin-77\n';
  ok(await h.cli('device', 'add', '1002', '--user', '1001', '--secret', '-'));
  h.stdin = 'rotated-stdin-8\n';
  ok(await h.cli('device', 'edit', '1001', '--secret', '-'));
  const store = h.openStore();
  assert.is(store.devices.findForAuth('1002')!.secret, 'from-stdin-77');
  assert.is(store.devices.findForAuth('1001')!.secret, 'rotated-stdin-8');
  store.close();
});

test('device edit: a running switch sees the change on its next lookup, without restart', async () => {
  const h = await withAlice();
  const runningSwitch = h.openStore();
  assert.is(runningSwitch.devices.findForAuth('1001')!.secret, 'Xk7#pQ2!vR');
  assert.is(ok(await h.cli('device', 'edit', '1001', '--secret', 'n3w-Secret', '--disable', '--no-model', '--mac', 'AABBCCDDEEFF')).stdout, 'updated device 1001 of Alice (1001)\n');
  assert.equal(runningSwitch.devices.findForAuth('1001'), { ext: '1001', secret: 'n3w-Secret', enabled: false, userId: 1, userExt: '1001', authAlgorithms: null });
  const d = runningSwitch.devices.findByExt('1001')!;
  assert.equal([d.model, d.mac], [null, 'aa:bb:cc:dd:ee:ff']);
  ok(await h.cli('device', 'rm', '1001'));
  assert.is(runningSwitch.devices.findForAuth('1001'), undefined);
  runningSwitch.close();
});

test('device edit --user moves it; --no-primary un-marks it', async () => {
  const h = await withAlice();
  ok(await h.cli('user', 'add', '2001', '--name', 'Bob'));
  ok(await h.cli('device', 'add', '1005', '--user', '1001', '--secret', 'moving-pass'));
  assert.is(ok(await h.cli('device', 'edit', '1005', '--user', '2001')).stdout, 'updated device 1005 of Bob (2001)\n  device 1005 moved from Alice (1001) to Bob (2001)\n');
  assert.is(ok(await h.cli('device', 'edit', '1001', '--no-primary')).stdout, 'updated device 1001 of Alice (1001)\n  Alice has no primary device any more (1001 was)\n');
});

test('device rm of the primary device says the user is left without one', async () => {
  const h = await withAlice();
  assert.is(ok(await h.cli('device', 'rm', '1001')).stdout, 'removed device 1001 of Alice (1001)\n  Alice has no primary device any more (1001 was)\n');
  const user = JSON.parse(ok(await h.cli('user', 'show', '1001', '--json')).stdout);
  assert.equal([user.ext, user.primaryDevice, user.devices], ['1001', null, []]);
});

test('device add --auth-algorithms md5: the device is offered MD5 alone, for phones that abort on any SHA-256 challenge (RFC 8760 §2.4)', async () => {
  const h = await withAlice();
  assert.is(ok(await h.cli('device', 'add', '1002', '--user', '1001', '--secret', 'dect-pass-9', '--auth-algorithms', 'md5')).stdout, 'added device 1002 for Alice (1001)\n');
  ok(await h.cli('device', 'add', '1003', '--user', '1001', '--secret', 'soft-pass-9', '--auth-algorithms', 'SHA-256, md5'));
  const runningSwitch = h.openStore();
  assert.equal(runningSwitch.devices.findForAuth('1002')!.authAlgorithms, ['MD5']);
  assert.equal(runningSwitch.devices.findForAuth('1003')!.authAlgorithms, ['SHA-256', 'MD5']);
  assert.is(runningSwitch.devices.findForAuth('1001')!.authAlgorithms, null);
  runningSwitch.close();
  assert.is(
    ok(await h.cli('device', 'list')).stdout,
    'EXT   USER  NAME   MODEL  MAC  STATE    PRIMARY  AUTH         CONTACTS\n' +
      '1001  1001  Alice  T54W   -    enabled  yes      default      0\n' +
      '1002  1001  Alice  -      -    enabled  -        MD5          0\n' +
      '1003  1001  Alice  -      -    enabled  -        SHA-256,MD5  0\n',
  );
  assert.match(ok(await h.cli('device', 'show', '1002')).stdout, /^auth algorithms +MD5$/m);
  assert.match(ok(await h.cli('device', 'show', '1003')).stdout, /^auth algorithms +SHA-256, MD5$/m);
  assert.match(ok(await h.cli('device', 'show', '1001')).stdout, /^auth algorithms +default \(auth\.algorithms\)$/m);
  const listed = JSON.parse(ok(await h.cli('device', 'list', '--json')).stdout) as Array<{ ext: string; authAlgorithms: string[] | null }>;
  assert.equal(listed.map((d) => [d.ext, d.authAlgorithms]), [['1001', null], ['1002', ['MD5']], ['1003', ['SHA-256', 'MD5']]]);
  assert.equal(JSON.parse(ok(await h.cli('device', 'show', '1002', '--json')).stdout).authAlgorithms, ['MD5']);
});

test('device edit --auth-algorithms sets the list, --no-auth-algorithms goes back to auth.algorithms; the running switch sees it at once', async () => {
  const h = await withAlice();
  const runningSwitch = h.openStore();
  assert.is(ok(await h.cli('device', 'edit', '1001', '--auth-algorithms', 'MD5')).stdout, 'updated device 1001 of Alice (1001)\n');
  assert.equal(runningSwitch.devices.findForAuth('1001')!.authAlgorithms, ['MD5']);
  ok(await h.cli('device', 'edit', '1001', '--model', 'T57W'));
  assert.equal(runningSwitch.devices.findForAuth('1001')!.authAlgorithms, ['MD5'], 'an unrelated edit keeps the list');
  ok(await h.cli('device', 'edit', '1001', '--no-auth-algorithms'));
  assert.is(runningSwitch.devices.findForAuth('1001')!.authAlgorithms, null);
  runningSwitch.close();
});

test('bad --auth-algorithms: one line, exit 1, nothing changed', async () => {
  const h = await withAlice();
  refused(await h.cli('device', 'add', '1002', '--user', '1001', '--secret', 'dect-pass-9', '--auth-algorithms', 'sha-1'), 1, 'unknown digest algorithm "sha-1": expected MD5 or SHA-256');
  refused(await h.cli('device', 'add', '1002', '--user', '1001', '--secret', 'dect-pass-9', '--auth-algorithms', ''), 1, 'auth algorithms must name at least one of MD5, SHA-256');
  refused(await h.cli('device', 'edit', '1001', '--auth-algorithms', 'md5,MD5'), 1, 'digest algorithm MD5 is listed twice');
  refused(await h.cli('device', 'edit', '1001', '--auth-algorithms', 'md5,'), 1, 'unknown digest algorithm "": expected MD5 or SHA-256');
  assert.equal(JSON.parse(ok(await h.cli('device', 'list', '--json')).stdout).map((d: { ext: string }) => d.ext), ['1001']);
  assert.is(JSON.parse(ok(await h.cli('device', 'show', '1001', '--json')).stdout).authAlgorithms, null);
});

test('bad device input: one line, exit 1', async () => {
  const h = await withAlice();
  ok(await h.cli('user', 'add', '2001', '--name', 'Bob'));
  refused(await h.cli('device', 'add', '1001', '--user', '2001', '--secret', 'whatever-1'), 1, 'extension 1001 is already used by user Alice');
  ok(await h.cli('device', 'add', '1007', '--user', '1001', '--secret', 'whatever-1'));
  refused(await h.cli('device', 'add', '1007', '--user', '2001', '--secret', 'whatever-1'), 1, 'extension 1007 is already used by device of Alice');
  refused(await h.cli('user', 'add', '1007', '--name', 'Carol'), 1, 'extension 1007 is already used by device of Alice');
  refused(await h.cli('device', 'add', '2001', '--user', '1001', '--secret', 'whatever-1'), 1, 'extension 2001 is already used by user Bob');
  refused(await h.cli('device', 'add', '1002', '--user', '9999', '--secret', 'whatever-1'), 1, 'unknown user 9999');
  refused(await h.cli('device', 'add', '1002', '--user', '1001', '--secret', 'whatever-1', '--mac', '80:5e:c0:12:34'), 1, 'malformed MAC address "80:5e:c0:12:34": expected aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabbccddeeff');
  refused(await h.cli('device', 'add', '1002', '--user', '1001', '--secret', 'short'), 1, 'secret is too short: 5 characters, at least 8 required');
  refused(await h.cli('device', 'add', '1002', '--user', '1001', '--secret', 'has space 1'), 1, 'secret may contain printable ASCII characters only, no spaces');
  refused(await h.cli('device', 'add', '1002', '--user', '1001', '--secret', 'pw-1002-pw'), 1, 'secret is too weak: it contains the extension 1002');
  refused(await h.cli('device', 'edit', '1009', '--disable'), 1, 'unknown device 1009');
  refused(await h.cli('device', 'edit', '1001', '--user', '2001'), 1, 'extension 1001 is already used by user Alice');
  refused(await h.cli('device', 'show', '2001'), 1, 'unknown device 2001 (2001 is used by user Bob)');
  refused(
    await h.cli('device', 'edit', '1001'),
    2,
    'nothing to change: give at least one of --secret, --model, --no-model, --mac, --no-mac, --primary, --no-primary, --enable, --disable, --user, --auth-algorithms, --no-auth-algorithms',
  );
  refused(await h.cli('device', 'edit', '1001', '--enable', '--disable'), 2, '--enable and --disable cannot be used together');
  refused(await h.cli('device', 'add', '1002', '--user', '1001'), 2, "required option '--secret <secret>' not specified");
});

test.run();
