/**
 * One conference room under load (issue 5, "Done means"): 120 SIPp callers, each a device
 * authenticated with digest, dial the same public room and stream G.711 RTP into it (SIPp's
 * rtp_stream) for about 25 s. The room must stay stable: everybody gets in, nobody drops out
 * while they talk, the mixer hears their audio (participants marked talking), the switch
 * answers the operator throughout, and every caller leaves cleanly (SIPp's own verdict: every
 * call completed). Nothing here depends on how fast the machine is; the CPU per participant
 * is measured by `npm run bench:conference`.
 */
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
import { sleep } from '../support/waiting.js';

const CALLERS = 120;
const ROOM = '8100';

let sw: SwitchProcess;
let media: string;

interface LiveJson {
  participants: Array<{ id: string; device: string | null; talking: boolean; muted: boolean }>;
}

async function live(): Promise<LiveJson> {
  const r = await sw.cli('room', 'live', ROOM, '--json');
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as LiveJson;
}


test.before(async () => {
  try {
    sw = await startSwitchProcess({ log: { level: 'warn', pretty: false } });
    const callers = Array.from({ length: CALLERS }, (_, i) => String(5000 + i));
    provision(sw.dir, callers.map((ext) => ({ ext, name: `Caller ${ext}`, devices: [ext], authAlgorithms: ['MD5' as const] })));
    for (const cmd of [['conference-range', 'set', '8100-8199'], ['room', 'add', ROOM, '--name', 'All hands', '--public']]) {
      const r = await sw.cli(...cmd);
      assert.is(r.code, 0, `${cmd.join(' ')}: ${r.stderr}`);
    }
    media = mkdtempSync(join(tmpdir(), 'room-load-'));
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', join(media, 'talk.wav'), 'synth', '10', 'sine', '443.7', 'vol', '0.3']);
  } catch (err) {
    console.error(err); // uvu does not report errors thrown in hooks
    throw err;
  }
});

test.after(async () => {
  await sw?.stop();
  if (media) rmSync(media, { recursive: true, force: true });
});

test(`${CALLERS} SIPp callers streaming RTP join one public room, stay in it while they talk, and all leave cleanly`, async () => {
  const uac = readFileSync(scenarioPath('call-uac-digest.xml'), 'utf8').replaceAll('[wav]', join(media, 'talk.wav')).replaceAll('[hold]', '25000');
  writeFileSync(join(media, 'uac.xml'), uac);
  const sipp = runSipp({
    scenario: join(media, 'uac.xml'),
    target: `127.0.0.1:${sw.sipPort}`,
    rows: authRows(Array.from({ length: CALLERS }, (_, i) => String(5000 + i)), secretFor).map((r) => `${r};${ROOM}`),
    calls: CALLERS,
    rate: 30,
    limit: CALLERS,
    localPort: await freePort(),
    timeoutMs: 90_000,
    extraArgs: ['-auth_uri', `${ROOM}@pbx.local`],
  });

  let full: LiveJson | undefined;
  for (let i = 0; i < 40 && !full; i++) {
    await sleep(500);
    const l = await live();
    if (l.participants.length === CALLERS) full = l;
  }
  assert.ok(full, `all ${CALLERS} callers are in the room`);
  assert.is(new Set(full!.participants.map((p) => p.device)).size, CALLERS, 'each caller once, by its device');

  // While they talk: the room keeps everybody, and the mixer hears them.
  let fewest = CALLERS;
  let mostTalking = 0;
  for (let i = 0; i < 8; i++) {
    await sleep(1000);
    const l = await live();
    fewest = Math.min(fewest, l.participants.length);
    mostTalking = Math.max(mostTalking, l.participants.filter((p) => p.talking).length);
  }
  assert.is(fewest, CALLERS, 'nobody dropped out of the room');
  assert.ok(mostTalking >= CALLERS * 0.9, `the mixer hears the callers' RTP: at most ${mostTalking} of ${CALLERS} talking`);

  const result = await sipp;
  assert.is(result.failed, 0, `SIPp: ${result.output.slice(-2000)}\n${result.errors}`);
  assert.is(result.successful, CALLERS);
  let left = -1;
  for (let i = 0; i < 20 && left !== 0; i++) {
    await sleep(250);
    left = (await live()).participants.length;
  }
  assert.is(left, 0, 'the room is empty once everybody hung up');
  assert.ok(sw.alive(), 'the switch is still running');
});

test.run();
