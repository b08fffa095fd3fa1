// A call through the real switch between two real SIP stacks: SIPp registers as device 2000
// (Bob) and then answers as a UAS that echoes RTP; a second SIPp is device 1000 (Alice),
// answers the switch's 407 with digest credentials and streams G.711 from a WAV. The call
// connects, media flows both ways through the switch's relay (seen in `softswitch calls`),
// the caller hangs up, and `softswitch history` has the call.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { provision, secretFor } from '../support/provision.js';
import { authRows, runSipp, scenarioPath } from '../support/sipp.js';
import { startSwitchProcess, type SwitchProcess } from '../support/switch-process.js';

interface LegJson {
  role: string;
  device: string | null;
  codec: string | null;
  packetsIn: number;
  packetsOut: number;
}
interface CallJson {
  id: string;
  state: string;
  legs: LegJson[];
  relay: string | null;
}

let sw: SwitchProcess;
let media: string;

test.before(async () => {
  try {
    sw = await startSwitchProcess({ log: { level: 'info', pretty: false } });
    provision(sw.dir, [
      { ext: '1000', name: 'Alice', devices: ['1000'] },
      { ext: '2000', name: 'Bob', devices: ['2000'] },
    ]);
    media = mkdtempSync(join(tmpdir(), 'call-basic-'));
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', join(media, 'tone.wav'), 'synth', '6', 'sine', '443.7']);
    const uac = readFileSync(scenarioPath('call-uac-digest.xml'), 'utf8').replaceAll('[wav]', join(media, 'tone.wav')).replaceAll('[hold]', '4000');
    writeFileSync(join(media, 'uac.xml'), uac);
  } catch (err) {
    console.error(err); // uvu does not report errors thrown in hooks
    throw err;
  }
});

test.after(async () => {
  await sw?.stop();
  if (media) rmSync(media, { recursive: true, force: true });
});

async function liveCalls(): Promise<CallJson[]> {
  const r = await sw.cli('calls', '--json');
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as CallJson[];
}

test('SIPp device 1000 calls SIPp device 2000 through the switch: 407 answered, call connects, RTP relayed both ways, clean BYE, history row', async () => {
  const target = `127.0.0.1:${sw.sipPort}`;
  const uasPort = await freePort();
  const uasMedia = await freePort(41000, 41999);
  const register = await runSipp({ scenario: scenarioPath('register-digest.xml'), target, rows: authRows(['2000'], secretFor), calls: 1, localPort: uasPort, keys: { expires: 3600 } });
  assert.is(register.code, 0, `REGISTER: ${register.output}\n${register.errors}`);
  await new Promise((r) => setTimeout(r, 300)); // the binding is flushed to SQLite within 100 ms; routing reads memory anyway

  const uas = runSipp({ scenario: scenarioPath('call-uas.xml'), target, calls: 1, localPort: uasPort, timeoutMs: 30_000, extraArgs: ['-rtp_echo', '-mp', String(uasMedia)] });
  await new Promise((r) => setTimeout(r, 500)); // SIPp binds its port
  const rows = authRows(['1000'], secretFor).map((r) => `${r};2000`);
  const uac = runSipp({ scenario: join(media, 'uac.xml'), target, rows, calls: 1, localPort: await freePort(), timeoutMs: 30_000, extraArgs: ['-auth_uri', '2000@pbx.local'] });

  // While the call is up: both legs carry RTP through the relay.
  let seen: CallJson | undefined;
  for (let i = 0; i < 40 && !(seen && seen.legs.every((l) => l.packetsIn > 20)); i++) {
    await new Promise((r) => setTimeout(r, 150));
    seen = (await liveCalls())[0];
  }
  assert.ok(seen, 'the call is listed by `softswitch calls`');
  assert.is(seen!.state, 'answered');
  assert.equal(seen!.legs.map((l) => [l.role, l.device, l.codec]), [['a', '1000', 'PCMU'], ['b', '2000', 'PCMU']]);
  assert.ok(seen!.legs[0]!.packetsIn > 20, `caller's RTP reached the switch: ${JSON.stringify(seen!.legs)}`);
  assert.ok(seen!.legs[1]!.packetsOut > 20, 'and went on to the callee');
  assert.ok(seen!.legs[1]!.packetsIn > 20, "the callee's echo came back");
  assert.ok(seen!.legs[0]!.packetsOut > 20, 'and went on to the caller');
  assert.is(seen!.relay, 'passthrough');

  const [a, b] = await Promise.all([uac, uas]);
  assert.is(a.code, 0, `UAC: ${a.output}\n${a.errors}`);
  assert.is(b.code, 0, `UAS: ${b.output}\n${b.errors}`);
  assert.equal(await liveCalls(), [], 'no call left');

  await new Promise((r) => setTimeout(r, 300)); // history is written behind (100 ms)
  const h = await sw.cli('history', '--json');
  assert.is(h.code, 0, h.stderr);
  const [row] = JSON.parse(h.stdout) as Array<Record<string, unknown>>;
  assert.is(row!['id'], seen!.id);
  assert.is(row!['disposition'], 'answered');
  assert.is(row!['callerDevice'], '1000');
  assert.is(row!['answeredBy'], '2000');
  assert.is(row!['endReason'], 'caller hung up');
  const text = await sw.cli('history');
  assert.match(text.stdout, /1000/);
  assert.match(text.stdout, /answered/);
});

test.run();
