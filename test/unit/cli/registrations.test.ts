import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BindingRecord } from '../../../src/store/store.js';
import { CliHarness, NOW, type CliResult } from './cli-harness.js';

function ok(r: CliResult): CliResult {
  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  return r;
}

function binding(aor: string, contact: string, over: Partial<BindingRecord> = {}): BindingRecord {
  return {
    aor,
    contact,
    callId: 'a84b4c76e66710',
    cseq: 314159,
    expiresAt: NOW + 3_725_000,
    path: [],
    flow: { protocol: 'udp', remoteAddress: '192.0.2.10', remotePort: 5060, localAddress: '192.0.2.1', localPort: 5060 },
    userAgent: 'Yealink SIP-T54W',
    updatedAt: NOW - 1000,
    ...over,
  };
}

/** Alice (1001: desk 1001, DECT 1002) and Bob (2001), with bindings written as the registrar would. */
async function registered(): Promise<CliHarness> {
  const h = new CliHarness();
  for (const args of [
    ['user', 'add', '1001', '--name', 'Alice'],
    ['user', 'add', '2001', '--name', 'Bob'],
    ['device', 'add', '1001', '--user', '1001', '--secret', 'Xk7#pQ2!vR'],
    ['device', 'add', '1002', '--user', '1001', '--secret', 'dect-pass-9'],
    ['device', 'add', '2001', '--user', '2001', '--secret', 'bobs-pass-9'],
  ]) ok(await h.cli(...args));
  const store = h.openStore();
  store.registrations.upsert(binding('1001', 'sip:1001@192.0.2.10:5060'));
  store.registrations.upsert(binding('1002', 'sip:1002@[2001:db8::7]:5062;transport=tcp', {
    expiresAt: NOW + 45_000,
    flow: { protocol: 'tcp', remoteAddress: '2001:db8::7', remotePort: 5062, localAddress: '2001:db8::1', localPort: 5060, connectionId: 3 },
    instanceId: '<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>',
    regId: 1,
    userAgent: 'evil\u001b[2Jphone',
  }));
  store.registrations.upsert(binding('2001', 'sip:2001@192.0.2.20', { expiresAt: NOW - 1 })); // expired
  store.close();
  return h;
}

test('registrations: device, user, contact, source, user agent and expires-in, aligned; expired ones left out', async () => {
  const h = await registered();
  assert.is(
    ok(await h.cli('registrations')).stdout,
    'DEVICE  USER  NAME   CONTACT                                    SOURCE                  USER AGENT        EXPIRES IN\n' +
      '1001    1001  Alice  sip:1001@192.0.2.10:5060                   udp 192.0.2.10:5060     Yealink SIP-T54W  1h02m05s\n' +
      '1002    1001  Alice  sip:1002@[2001:db8::7]:5062;transport=tcp  tcp [2001:db8::7]:5062  evil\\x1b[2Jphone  45s\n',
  );
});

test('registrations --json: every field of a binding, with user and expiry', async () => {
  const h = await registered();
  const list = JSON.parse(ok(await h.cli('registrations', '--json')).stdout);
  assert.is(list.length, 2);
  assert.equal(list[1], {
    device: '1002',
    user: '1001',
    userName: 'Alice',
    contact: 'sip:1002@[2001:db8::7]:5062;transport=tcp',
    protocol: 'tcp',
    source: '[2001:db8::7]:5062',
    sourceAddress: '2001:db8::7',
    sourcePort: 5062,
    localAddress: '2001:db8::1',
    localPort: 5060,
    userAgent: 'evil\u001b[2Jphone',
    expiresAt: new Date(NOW + 45_000).toISOString(),
    expiresIn: 45,
    instanceId: '<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>',
    regId: 1,
    q: null,
    path: [],
    callId: 'a84b4c76e66710',
    cseq: 314159,
    updatedAt: new Date(NOW - 1000).toISOString(),
  });
});

test('registrations --user keeps that user; an unknown user is an error', async () => {
  const h = await registered();
  assert.equal(JSON.parse(ok(await h.cli('registrations', '--user', '1001', '--json')).stdout).map((b: { device: string }) => b.device), ['1001', '1002']);
  assert.is(ok(await h.cli('registrations', '--user', '2001')).stdout, 'no registrations for user 2001\n');
  const r = await h.cli('registrations', '--user', '3001');
  assert.equal([r.code, r.stderr], [1, 'error: unknown user 3001\n']);
});

test('the contact count shows in device lists, and disabling a device drops its registrations', async () => {
  const h = await registered();
  const devices = JSON.parse(ok(await h.cli('device', 'list', '--json')).stdout);
  assert.equal(devices.map((d: { ext: string; contacts: number }) => [d.ext, d.contacts]), [['1001', 1], ['1002', 1], ['2001', 0]]);
  assert.is(ok(await h.cli('device', 'edit', '1002', '--disable')).stdout, 'updated device 1002 of Alice (1001)\n  1 registration of device 1002 removed\n');
  assert.is(ok(await h.cli('user', 'rm', '1001', '--force')).stdout, 'removed user 1001 (Alice) with 2 devices (1001, 1002) and 1 registration\n');
  assert.is(ok(await h.cli('registrations')).stdout, 'no registrations\n');
});

test.run();
