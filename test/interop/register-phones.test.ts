// Real softphones register with their own configuration files: baresip 1.0 and linphonec
// 5.1 appear in `softswitch registrations`, and leave it when they quit (Expires: 0).
// baresip 1.0's SIP library (libre < 2024) aborts on ANY SHA-256 challenge, so its device is
// set to MD5 only - the per-device override operators use for such phones (docs/cli.md).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RegistrationJson } from '../../src/cli/json-views.js';
import { Baresip } from '../support/baresip.js';
import { Linphonec } from '../support/linphonec.js';
import { provision, secretFor } from '../support/provision.js';
import { startSwitchProcess, type SwitchProcess } from '../support/switch-process.js';

let sw: SwitchProcess;

test.before(async () => {
  try {
    sw = await startSwitchProcess();
    provision(sw.dir, [
      { ext: '1001', name: 'Alice', devices: ['1001'], authAlgorithms: ['MD5'] },
      { ext: '1002', name: 'Bob', devices: ['1002'] },
    ]);
  } catch (err) {
    console.error(err); // uvu does not report errors thrown in hooks
    throw err;
  }
});

test.after(async () => {
  await sw?.stop();
});

async function registrations(): Promise<RegistrationJson[]> {
  await new Promise((r) => setTimeout(r, 300)); // one write-behind flush
  const r = await sw.cli('registrations', '--json');
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as RegistrationJson[];
}

async function until<T>(fn: () => Promise<T | undefined>, ms = 10_000): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('baresip and linphonec register with digest auth and are listed with their user agents', async () => {
  const baresip = await Baresip.start({
    account: `<sip:1001@127.0.0.1:${sw.sipPort}>;auth_pass=${secretFor('1001')};regint=600;audio_codecs=PCMU,PCMA`,
  });
  const linphone = await Linphonec.start({ user: '1002', password: secretFor('1002'), server: `127.0.0.1:${sw.sipPort}`, domain: 'pbx.local', expires: 600 });
  try {
    const info = await baresip.waitRegistered(15_000);
    assert.match(info, /sip:1001@127\.0\.0\.1:\d+\s+OK/, 'baresip reports its account registered');
    const both = await until(async () => {
      const regs = await registrations();
      return regs.some((r) => r.device === '1001') && regs.some((r) => r.device === '1002') ? regs : undefined;
    });
    assert.ok(both, 'both phones are registered');
    const bare = both!.find((r) => r.device === '1001')!;
    const lin = both!.find((r) => r.device === '1002')!;
    assert.match(bare.userAgent ?? '', /baresip/);
    assert.is(bare.sourcePort, baresip.sipPort, 'the source address actually seen is recorded');
    assert.match(lin.userAgent ?? '', /Linphone/i);
    assert.is(lin.sourcePort, linphone.sipPort);
    assert.ok(lin.expiresIn > 500 && lin.expiresIn <= 600);
    assert.is(bare.user, '1001');
    assert.is(lin.userName, 'Bob');
    // linphonec's own view agrees.
    linphone.send('status register');
    await linphone.waitOutput(/registered, identity=sip:1002@pbx\.local/);
  } finally {
    await baresip.stop();
    await linphone.stop();
  }
  // Both unregister when they quit (RFC 3261 §10.2.2, Expires: 0).
  const gone = await until(async () => ((await registrations()).length === 0 ? true : undefined));
  assert.ok(gone, 'bindings removed when the phones quit');
  baresip.cleanup();
  linphone.cleanup();
});

test.run();
