// Registrations are stored: they survive a restart of the switch, and they expire on time
// (RFC 3261 §10.3: a binding lives until its expiry unless refreshed).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegistrationJson } from '../../src/cli/json-views.js';
import { freePort } from '../support/free-port.js';
import { provision, secretFor } from '../support/provision.js';
import { authRows, runSipp, scenarioPath } from '../support/sipp.js';
import { startSwitchProcess, type SwitchProcess } from '../support/switch-process.js';

const dir = mkdtempSync(join(tmpdir(), 'softswitch-restart-'));
const settings = { registrar: { minExpires: 2, defaultExpires: 60, maxExpires: 3600 } };
let sw: SwitchProcess | undefined;

test.after(async () => {
  await sw?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function registrations(s: SwitchProcess): Promise<RegistrationJson[]> {
  return JSON.parse((await s.cli('registrations', '--json')).stdout) as RegistrationJson[];
}

test('bindings survive a clean restart, then expire on time and are purged', async () => {
  sw = await startSwitchProcess(settings, { dir });
  provision(dir, [
    { ext: '2001', name: 'Short', devices: ['2001'] },
    { ext: '2002', name: 'Long', devices: ['2002'] },
  ]);
  const port = await freePort();
  const register = (ext: string, expires: number) =>
    runSipp({
      scenario: scenarioPath('register-digest.xml'),
      target: `127.0.0.1:${sw!.sipPort}`,
      rows: authRows([ext], secretFor),
      calls: 1,
      localPort: port,
      keys: { expires },
      timeoutMs: 10_000,
    });
  assert.is((await register('2001', 6)).code, 0);
  assert.is((await register('2002', 3600)).code, 0);
  const registeredAt = Date.now();

  // SIGTERM: the switch flushes its write-behind bindings before it exits (exit code 0).
  assert.is(await sw.stop(), 0);
  sw = await startSwitchProcess(settings, { dir });
  const restored = await sw.waitForLog((l) => l.event === 'registrations.restored');
  assert.is(restored.restored, 2, 'both bindings came back from the database');
  assert.equal((await registrations(sw)).map((r) => r.device).sort(), ['2001', '2002']);

  // 2001 asked for 6 s: gone from the list once that has passed, purged and logged.
  await new Promise((r) => setTimeout(r, Math.max(0, registeredAt + 6500 - Date.now())));
  assert.equal((await registrations(sw)).map((r) => r.device), ['2002'], 'expired binding no longer listed');
  const expired = await sw.waitForLog((l) => l.event === 'registrations.expired', 15_000);
  assert.is(expired.count, 1);
});

test.run();
