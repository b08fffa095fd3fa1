// 500 devices register with digest authentication through SIPp (a real, independent SIP
// stack), refresh and unregister; `softswitch registrations --json` is checked at each step.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RegistrationJson } from '../../src/cli/json-views.js';
import { freePort } from '../support/free-port.js';
import { provision, secretFor } from '../support/provision.js';
import { authRows, runSipp, scenarioPath } from '../support/sipp.js';
import { startSwitchProcess, type SwitchProcess } from '../support/switch-process.js';

const USERS = 250;
const users = Array.from({ length: USERS }, (_, i) => ({
  ext: String(3000 + 2 * i), // the main extension is the primary device's (the product rule)
  name: `User ${i}`,
  devices: [String(3000 + 2 * i), String(3001 + 2 * i)],
}));
const devices = users.flatMap((u) => u.devices);

let sw: SwitchProcess;
let sippPort: number;

async function registrations(): Promise<RegistrationJson[]> {
  await new Promise((r) => setTimeout(r, 400)); // bindings reach SQLite within one flush interval (100 ms)
  const r = await sw.cli('registrations', '--json');
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as RegistrationJson[];
}

async function sipp(expires: number) {
  return runSipp({
    scenario: scenarioPath('register-digest.xml'),
    target: `127.0.0.1:${sw.sipPort}`,
    rows: authRows(devices, secretFor),
    calls: devices.length,
    rate: 250,
    limit: 100,
    localPort: sippPort,
    keys: { expires },
    timeoutMs: 90_000,
  });
}

test.before(async () => {
  try {
    sw = await startSwitchProcess({ log: { level: 'warn', pretty: false } });
    provision(sw.dir, users);
    sippPort = await freePort();
  } catch (err) {
    console.error(err); // uvu does not report errors thrown in hooks
    throw err;
  }
});

test.after(async () => {
  await sw?.stop();
});

test('500 devices register with digest auth, no failure (RFC 3261 §10.3, §22; RFC 7616)', async () => {
  const r = await sipp(3600);
  assert.is(r.code, 0, `SIPp: ${r.output}\n${r.errors}`);
  assert.is(r.successful, 500);
  assert.is(r.failed, 0);
  const regs = await registrations();
  assert.is(regs.length, 500);
  assert.equal(new Set(regs.map((x) => x.device)).size, 500, 'one binding per device');
  for (const reg of regs) {
    assert.is(reg.contact, `sip:${reg.device}@127.0.0.1:${sippPort};transport=UDP`);
    assert.is(reg.sourcePort, sippPort);
    assert.is(reg.userAgent, 'SIPp register test');
    assert.ok(reg.expiresIn > 3500 && reg.expiresIn <= 3600, `expires ${reg.expiresIn}`);
    assert.is(reg.user, users[Math.floor((Number(reg.device) - 3000) / 2)]!.ext, 'device listed with its user');
  }
});

test('refreshing with a shorter expiry keeps 500 bindings and takes the new interval', async () => {
  const r = await sipp(1800);
  assert.is(r.code, 0, `SIPp: ${r.output}\n${r.errors}`);
  const regs = await registrations();
  assert.is(regs.length, 500, 'a refresh replaces, it does not add');
  for (const reg of regs) assert.ok(reg.expiresIn > 1700 && reg.expiresIn <= 1800, `expires ${reg.expiresIn}`);
});

test('Expires: 0 unregisters every device (RFC 3261 §10.2.2)', async () => {
  const r = await sipp(0);
  assert.is(r.code, 0, `SIPp: ${r.output}\n${r.errors}`);
  assert.equal(await registrations(), []);
  assert.ok(sw.alive());
});

test.run();
