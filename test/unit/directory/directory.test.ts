import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Directory, DirectoryError, type DirectoryErrorKind } from '../../../src/app/directory/directory.js';
import { openStore, type BindingRecord, type Store } from '../../../src/store/store.js';
import { FakeClock } from '../../support/fake-clock.js';

interface Fixture {
  store: Store;
  dir: Directory;
  clock: FakeClock;
}

function fixture(): Fixture {
  const store = openStore(mkdtempSync(join(tmpdir(), 'softswitch-dir-')));
  const clock = new FakeClock();
  return { store, dir: new Directory(store, clock), clock };
}

/** Alice: main 1001 with desk phone 1001 (primary by the equal-extension rule); Bob: main 2001. */
function withAliceAndBob(): Fixture {
  const f = fixture();
  f.dir.addUser({ ext: '1001', name: 'Alice' });
  f.dir.addDevice({ ext: '1001', userExt: '1001', secret: 'alice-desk-1' });
  f.dir.addUser({ ext: '2001', name: 'Bob' });
  return f;
}

function fails(fn: () => unknown, kind: DirectoryErrorKind, message: string | RegExp): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, DirectoryError, String(err));
    assert.is((err as DirectoryError).kind, kind);
    if (typeof message === 'string') assert.is((err as Error).message, message);
    else assert.match((err as Error).message, message);
    return;
  }
  assert.unreachable('expected a DirectoryError');
}

const primaryOf = (f: Fixture, userExt: string) => f.dir.user(userExt).devices.find((d) => d.primary)?.ext;

function register(f: Fixture, aor: string, contact: string): void {
  const b: BindingRecord = {
    aor, contact, callId: 'c', cseq: 1, expiresAt: f.clock.now() + 60_000, path: [], updatedAt: f.clock.now(),
    flow: { protocol: 'udp', remoteAddress: '192.0.2.9', remotePort: 5060, localAddress: '192.0.2.1', localPort: 5060 },
  };
  f.store.registrations.upsert(b);
}

test('adds a user with optional caller ID and mobile, stamped with the clock', () => {
  const f = fixture();
  const { user, devices, effects } = f.dir.addUser({ ext: '1001', name: ' Alice ', callerId: '+4930123456', mobile: '+491701234567' });
  assert.equal([user.ext, user.name, user.callerId, user.mobile, user.createdAt], ['1001', 'Alice', '+4930123456', '+491701234567', f.clock.now()]);
  assert.equal([devices, effects], [[], []]);
});

test('a device whose extension equals the main extension becomes primary when the user has none', () => {
  const f = fixture();
  f.dir.addUser({ ext: '1001', name: 'Alice' });
  const { device, effects } = f.dir.addDevice({ ext: '1001', userExt: '1001', secret: 'alice-desk-1', model: 'T54W', mac: 'AABBCCDDEEFF' });
  assert.is(device.primary, true);
  assert.is(device.mac, 'aa:bb:cc:dd:ee:ff');
  assert.equal(effects, [{ kind: 'primary-set', device: '1001', user: 'Alice' }]);
});

test('a device with another extension is not made primary on its own', () => {
  const f = fixture();
  f.dir.addUser({ ext: '1001', name: 'Alice' });
  const { device, effects } = f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1' });
  assert.is(device.primary, false);
  assert.equal(effects, []);
  assert.is(primaryOf(f, '1001'), undefined);
});

test('the equal-extension rule does not take the mark from an existing primary', () => {
  const f = fixture();
  f.dir.addUser({ ext: '1001', name: 'Alice' });
  f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1', primary: true }); // main becomes 1002
  f.dir.editUser('1002', { ext: '1001' }); // main back to 1001, 1002 stays primary
  const { device } = f.dir.addDevice({ ext: '1001', userExt: '1001', secret: 'alice-desk-1' });
  assert.is(device.primary, false);
  assert.is(primaryOf(f, '1001'), '1002');
});

test('--primary un-marks the previous primary and the main extension follows the device', () => {
  const f = withAliceAndBob();
  const { device, user, effects } = f.dir.addDevice({ ext: '1005', userExt: '1001', secret: 'alice-soft-1', primary: true });
  assert.is(device.primary, true);
  assert.is(user.ext, '1005');
  assert.equal(effects, [
    { kind: 'primary-set', device: '1005', user: 'Alice', previous: '1001' },
    { kind: 'main-extension-changed', user: 'Alice', from: '1001', to: '1005' },
  ]);
  assert.equal(f.dir.user('1005').devices.map((d) => [d.ext, d.primary]), [['1005', true], ['1001', false]]);
  fails(() => f.dir.user('1001'), 'not-found', 'unknown user 1001 (1001 is used by device of Alice)');
});

test('device edit --primary applies the same rule; an already-primary device changes nothing', () => {
  const f = withAliceAndBob();
  f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1' });
  const r = f.dir.editDevice('1002', { primary: true });
  assert.is(r.user.ext, '1002');
  assert.is(primaryOf(f, '1002'), '1002');
  assert.equal(f.dir.editDevice('1002', { primary: true }).effects, []);
});

test('extensions are unique across users and devices', () => {
  const f = withAliceAndBob();
  fails(() => f.dir.addUser({ ext: '1001', name: 'Eve' }), 'conflict', 'extension 1001 is already used by user Alice');
  f.dir.addDevice({ ext: '2002', userExt: '2001', secret: 'bobs-phone-1' });
  fails(() => f.dir.addUser({ ext: '2002', name: 'Eve' }), 'conflict', 'extension 2002 is already used by device of Bob');
  fails(() => f.dir.addDevice({ ext: '2002', userExt: '1001', secret: 'alice-dect-1' }), 'conflict', 'extension 2002 is already used by device of Bob');
  fails(() => f.dir.addDevice({ ext: '2001', userExt: '1001', secret: 'alice-dect-1' }), 'conflict', 'extension 2001 is already used by user Bob');
  fails(() => f.dir.editUser('2001', { ext: '1001' }), 'conflict', 'extension 1001 is already used by user Alice');
});

test("a user's main extension may be moved onto one of its own devices, which then becomes primary if none is", () => {
  const f = fixture();
  f.dir.addUser({ ext: '1001', name: 'Alice' });
  f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1' });
  const { user, effects } = f.dir.editUser('1001', { ext: '1002' });
  assert.is(user.ext, '1002');
  assert.equal(effects, [
    { kind: 'main-extension-changed', user: 'Alice', from: '1001', to: '1002' },
    { kind: 'primary-set', device: '1002', user: 'Alice' },
  ]);
});

test('user edit changes and clears optional fields; absent fields stay', () => {
  const f = fixture();
  f.dir.addUser({ ext: '1001', name: 'Alice', callerId: '+4930123456', mobile: '01701234567' });
  f.clock.advance(1000);
  const { user } = f.dir.editUser('1001', { name: 'Alice Smith', callerId: null });
  assert.equal([user.name, user.callerId, user.mobile, user.updatedAt - user.createdAt], ['Alice Smith', null, '01701234567', 1000]);
});

test('removing the primary device leaves the user without one and the main extension unchanged', () => {
  const f = withAliceAndBob();
  f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1' });
  const removed = f.dir.removeDevice('1001');
  assert.equal(removed.effects, [{ kind: 'primary-cleared', device: '1001', user: 'Alice' }]);
  const alice = f.dir.user('1001');
  assert.is(alice.user.ext, '1001');
  assert.equal(alice.devices.map((d) => [d.ext, d.primary]), [['1002', false]]);
});

test('removing a device removes its registrations', () => {
  const f = withAliceAndBob();
  register(f, '1001', 'sip:1001@192.0.2.9');
  assert.is(f.dir.removeDevice('1001').registrations, 1);
  assert.equal(f.store.registrations.live(f.clock.now()), []);
});

test('user rm refuses a user with devices unless forced, then removes devices and registrations', () => {
  const f = withAliceAndBob();
  f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1' });
  register(f, '1001', 'sip:a@192.0.2.9');
  register(f, '1002', 'sip:b@192.0.2.9');
  fails(() => f.dir.removeUser('1001'), 'refused', 'user 1001 (Alice) has 2 devices (1001, 1002); add --force to remove the user with its devices');
  const removed = f.dir.removeUser('1001', { force: true });
  assert.equal([removed.user.name, removed.devices.length, removed.registrations], ['Alice', 2, 2]);
  assert.equal(f.store.devices.list().length, 0);
  assert.equal(f.store.registrations.live(f.clock.now()), []);
  assert.is(f.store.devices.findForAuth('1001'), undefined);
  assert.is(f.dir.removeUser('2001').devices.length, 0, 'a user without devices needs no --force');
});

test('disabling a device drops its registrations at once; enabling keeps none to drop', () => {
  const f = withAliceAndBob();
  register(f, '1001', 'sip:a@192.0.2.9');
  const r = f.dir.editDevice('1001', { enabled: false });
  assert.is(r.device.enabled, false);
  assert.equal(r.effects, [{ kind: 'registrations-removed', device: '1001', count: 1 }]);
  assert.is(f.store.devices.findForAuth('1001')!.enabled, false);
  assert.equal(f.dir.editDevice('1001', { enabled: true }).effects, []);
});

test('device edit changes secret, model and MAC, and clears them with null', () => {
  const f = withAliceAndBob();
  f.dir.editDevice('1001', { secret: 'new-secret-9', model: 'T57W', mac: 'aa-bb-cc-dd-ee-01' });
  assert.equal(f.store.devices.findForAuth('1001')!.secret, 'new-secret-9');
  const { device } = f.dir.editDevice('1001', { model: null, mac: null });
  assert.equal([device.model, device.mac], [null, null]);
  fails(() => f.dir.editDevice('1001', { secret: 'x1001xxxxx' }), 'invalid', 'secret is too weak: it contains the extension 1001');
});

test('a device can be given its own digest algorithms, changed and cleared; the switch lookup sees them (RFC 8760 §2.4)', () => {
  const f = withAliceAndBob();
  assert.is(f.dir.device('1001').device.authAlgorithms, null);
  const added = f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1', authAlgorithms: ['md5'] });
  assert.equal(added.device.authAlgorithms, ['MD5']);
  assert.equal(added.effects, []);
  assert.equal(f.store.devices.findForAuth('1002')!.authAlgorithms, ['MD5']);
  assert.equal(f.dir.editDevice('1002', { authAlgorithms: ['SHA-256', 'MD5'] }).device.authAlgorithms, ['SHA-256', 'MD5']);
  assert.equal(f.dir.editDevice('1002', { model: 'W73H' }).device.authAlgorithms, ['SHA-256', 'MD5'], 'other edits keep it');
  assert.is(f.dir.editDevice('1002', { authAlgorithms: null }).device.authAlgorithms, null);
  assert.is(f.store.devices.findForAuth('1002')!.authAlgorithms, null);
  assert.is(f.dir.addDevice({ ext: '1003', userExt: '1001', secret: 'alice-soft-1', authAlgorithms: null }).device.authAlgorithms, null);
});

test('invalid digest algorithm lists are refused and change nothing', () => {
  const f = withAliceAndBob();
  fails(() => f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1', authAlgorithms: [] }), 'invalid', 'auth algorithms must name at least one of MD5, SHA-256');
  assert.is(f.store.devices.findByExt('1002'), undefined);
  fails(() => f.dir.editDevice('1001', { authAlgorithms: ['MD5', 'md5'] }), 'invalid', 'digest algorithm MD5 is listed twice');
  fails(() => f.dir.editDevice('1001', { authAlgorithms: ['SHA-1'] }), 'invalid', 'unknown digest algorithm "SHA-1": expected MD5 or SHA-256');
  assert.is(f.dir.device('1001').device.authAlgorithms, null);
});

test('device edit --no-primary clears the mark only', () => {
  const f = withAliceAndBob();
  const r = f.dir.editDevice('1001', { primary: false });
  assert.equal(r.effects, [{ kind: 'primary-cleared', device: '1001', user: 'Alice' }]);
  assert.is(r.user.ext, '1001');
});

test('moving a device to another user drops its primary mark at the old user; --primary applies at the new one', () => {
  const f = withAliceAndBob();
  f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1', primary: true }); // Alice main -> 1002
  f.dir.editUser('1002', { ext: '1001' }); // main back to 1001; 1002 stays primary
  const moved = f.dir.editDevice('1002', { userExt: '2001', primary: true });
  assert.equal(moved.effects, [
    { kind: 'primary-cleared', device: '1002', user: 'Alice' },
    { kind: 'device-moved', device: '1002', from: 'Alice (1001)', to: 'Bob (2001)' },
    { kind: 'primary-set', device: '1002', user: 'Bob' },
    { kind: 'main-extension-changed', user: 'Bob', from: '2001', to: '1002' },
  ]);
  assert.is(f.dir.user('1002').user.name, 'Bob');
  assert.equal(f.dir.user('1001').devices.map((d) => [d.ext, d.primary]), [['1001', false]]);
  assert.is(f.store.devices.findForAuth('1002')!.userExt, '1002');
});

test('moving a device without --primary does not make it primary at the new user', () => {
  const f = withAliceAndBob();
  f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1' });
  const moved = f.dir.editDevice('1002', { userExt: '2001' });
  assert.equal([moved.device.primary, moved.user.name, moved.effects.map((e) => e.kind)], [false, 'Bob', ['device-moved']]);
});

test('a device cannot leave the user whose main extension it carries', () => {
  const f = withAliceAndBob();
  fails(() => f.dir.editDevice('1001', { userExt: '2001' }), 'conflict', 'extension 1001 is already used by user Alice');
});

test('unknown users and devices are named, with what the number is instead', () => {
  const f = withAliceAndBob();
  fails(() => f.dir.addDevice({ ext: '3001', userExt: '1234', secret: 'some-secret' }), 'not-found', 'unknown user 1234');
  fails(() => f.dir.removeDevice('2001'), 'not-found', 'unknown device 2001 (2001 is used by user Bob)');
  fails(() => f.dir.editUser('5555', { name: 'X' }), 'not-found', 'unknown user 5555');
  fails(() => f.dir.devices('5555'), 'not-found', 'unknown user 5555');
});

test('invalid input is refused before anything is written', () => {
  const f = withAliceAndBob();
  fails(() => f.dir.addDevice({ ext: '1003', userExt: '1001', secret: 'short' }), 'invalid', /secret is too short/);
  fails(() => f.dir.addDevice({ ext: '1003', userExt: '1001', secret: 'long-enough', mac: 'nope' }), 'invalid', /malformed MAC address "nope"/);
  fails(() => f.dir.addUser({ ext: '1', name: 'Eve' }), 'invalid', 'extension must be 2 to 10 digits, got "1"');
  fails(() => f.dir.editUser('1001', { ext: 'abc' }), 'invalid', 'new main extension must be 2 to 10 digits, got "abc"');
  assert.is(f.store.devices.findByExt('1003'), undefined);
});

test('devices() lists all devices or those of one user, primary first', () => {
  const f = withAliceAndBob();
  f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-1' });
  f.dir.addDevice({ ext: '2002', userExt: '2001', secret: 'bobs-phone-1' });
  assert.equal(f.dir.devices().map((v) => [v.device.ext, v.user.name]), [['1001', 'Alice'], ['1002', 'Alice'], ['2002', 'Bob']]);
  assert.equal(f.dir.devices('2001').map((v) => v.device.ext), ['2002']);
});

test.run();
