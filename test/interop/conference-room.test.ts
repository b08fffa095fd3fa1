// Conference rooms with real phones through the real switch (issue 5, "Done means"):
// baresip A (Alice, 1001), baresip B (Bob, 2001) and linphonec L (Carol, 3001) each send
// their own fractional-frequency tone and record what they hear (baresip sndfile
// dump-*-dec.wav, linphonec `record`). Every audio verdict comes from those recordings; the
// room's state from `softswitch room live --json` run against the test switch's data dir.
//
// Room 8000 (public, PIN 1234, admin PIN 9999), made with the real CLI.
//   1. A, B and L dial 8000 and send the PIN as RFC 4733 events: each hears the other two
//      and not itself; `room live` lists the three.
//   2. `room mute` B: A no longer hears B (but still L); `room unmute` brings B back.
//   3. `room kick` L: L's call ends, A no longer hears L; L heard A and B while it was in.
//   4. A comes back with the admin PIN: *1 mutes the others (A hears nobody, B still hears
//      A), *2 unmutes them.
//   5. A wrong PIN three times: the switch hangs up.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeSeconds, beepPairAt, describeTones, toneFraction } from '../support/audio-analysis.js';
import { Baresip } from '../support/baresip.js';
import { Linphonec } from '../support/linphonec.js';
import { provision, secretFor } from '../support/provision.js';
import { startSwitchProcess, type SwitchProcess } from '../support/switch-process.js';
import { readWav, seconds, slice, writeToneWav, type Pcm } from '../support/wav.js';
import { sleep, until } from '../support/waiting.js';

const TONE = { A: 701.3, B: 1109.9, L: 1703.1 };
const TONES = { A: TONE.A, B: TONE.B, L: TONE.L };

let sw: SwitchProcess;
let A: Baresip;
let B: Baresip;
let L: Linphonec;
let media: string;
let lrec: string;
/** When L's call was answered, and when all three were in the room (ms). */
let lAnsweredAt = 0;
let allInAt = 0;
/** A's first recording, and how many seconds it held when A was alone in the room / when B got in. */
let aRecording = '';
let aAloneAt = 0;
let aSawBAt = 0;

interface LiveJson {
  number: string;
  locked: boolean;
  participants: Array<{ id: string; number: string; device: string | null; muted: boolean; admin: boolean; talking: boolean }>;
}

test.before(async () => {
  try {
    media = mkdtempSync(join(tmpdir(), 'conference-room-'));
    sw = await startSwitchProcess({ log: { level: 'info', pretty: false } });
    provision(sw.dir, [
      { ext: '1000', name: 'Alice', devices: ['1001'], authAlgorithms: ['MD5'], primary: null },
      { ext: '2000', name: 'Bob', devices: ['2001'], authAlgorithms: ['MD5'], primary: null },
      { ext: '3000', name: 'Carol', devices: ['3001'], authAlgorithms: ['MD5'], primary: null },
    ]);
    for (const args of [
      ['conference-range', 'set', '8000-8099'],
      ['room', 'add', '8000', '--name', 'Main', '--public', '--pin', '1234', '--admin-pin', '9999'],
    ]) {
      const r = await sw.cli(...args);
      assert.is(r.code, 0, r.stderr);
    }
    const account = (ext: string) => `<sip:${ext}@127.0.0.1:${sw.sipPort}>;auth_pass=${secretFor(ext)};regint=600;audio_codecs=PCMU,PCMA`;
    A = await Baresip.start({ account: account('1001'), source: writeToneWav(join(media, 'a.wav'), TONE.A, 300) });
    B = await Baresip.start({ account: account('2001'), source: writeToneWav(join(media, 'b.wav'), TONE.B, 300) });
    L = await Linphonec.start({ user: '3001', password: secretFor('3001'), server: `127.0.0.1:${sw.sipPort}`, domain: 'pbx.local', expires: 600 });
    lrec = join(media, 'linphonec-heard.wav');
    L.send('soundcard use files');
    L.send(`play ${writeToneWav(join(media, 'l.wav'), TONE.L, 300)}`);
    L.send(`record ${lrec}`);
    await Promise.all([A.waitRegistered(), B.waitRegistered(), L.waitRegistered()]);
  } catch (err) {
    console.error(err); // uvu does not report errors thrown in hooks
    throw err;
  }
});

test.after(async () => {
  await Promise.allSettled([A?.stop(), B?.stop(), L?.stop()]);
  await sw?.stop();
  for (const p of [A, B, L]) p?.cleanup();
  if (media) rmSync(media, { recursive: true, force: true });
});

async function live(): Promise<LiveJson> {
  const r = await sw.cli('room', 'live', '8000', '--json');
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as LiveJson;
}



async function dialRoom(b: Baresip): Promise<void> {
  const mark = b.mark();
  const r = await b.command('dial', `sip:8000@127.0.0.1:${sw.sipPort}`);
  assert.ok(r.ok, r.data);
  await b.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, mark);
}

const inRoom = async (n: number): Promise<LiveJson | undefined> => {
  const v = await live();
  return v.participants.length === n ? v : undefined;
};

/** The last `s` seconds of what a baresip phone decoded, less the last 0.3 s (the file may still be written). */
function lastSeconds(b: Baresip, s: number): Pcm {
  const pcm = readWav(b.latestRecording()!);
  const end = seconds(pcm) - 0.3;
  return slice(pcm, end - s, end);
}

function hears(pcm: Pcm, who: keyof typeof TONE, what: string): void {
  assert.ok(toneFraction(pcm, TONE[who]) > 0.8, `${what}: ${describeTones(pcm, TONES)}`);
}

function silent(pcm: Pcm, who: keyof typeof TONE, what: string): void {
  assert.ok(toneFraction(pcm, TONE[who]) < 0.1, `${what}: ${describeTones(pcm, TONES)}`);
}

test('three phones join room 8000 with the user PIN sent as RFC 4733 events; `room live` lists them (issue 5)', async () => {
  await dialRoom(A);
  await A.sendKeys('1234#');
  await until('A in the room', () => inRoom(1));
  aRecording = A.latestRecording()!;
  aAloneAt = seconds(readWav(aRecording));
  await dialRoom(B);
  await B.sendKeys('1234#');
  await until('B in the room', () => inRoom(2));
  aSawBAt = seconds(readWav(aRecording));
  const lMark = L.output.length;
  L.send(`call sip:8000@127.0.0.1:${sw.sipPort}`);
  await L.waitOutput(/Call \d+ with [^\n]* connected|Call answered|StreamsRunning|connected/i, 10_000, lMark);
  lAnsweredAt = Date.now();
  await sleep(500);
  for (const k of '1234#') {
    L.send(k);
    await sleep(400);
  }
  const v = await until('three in the room', () => inRoom(3));
  allInAt = Date.now();
  assert.equal(
    v.participants.map((p) => [p.id, p.number, p.device, p.admin, p.muted]),
    [
      ['p1', '1000', '1001', false, false],
      ['p2', '2000', '2001', false, false],
      ['p3', '3000', '3001', false, false],
    ],
  );
  const text = await sw.cli('room', 'live', '8000');
  assert.match(text.stdout, /3 participants/);
});

test('the first one in hears "you are the only participant", then rising join beeps (600 then 900 Hz) as the second arrives (issue 5)', async () => {
  await sleep(500); // the recording is written as it plays
  const heard = readWav(aRecording);
  // Between the PIN (whose prompt A's first key stopped) and B's arrival, A hears only what the
  // switch plays it: its own join beeps (0.2 s) and the greeting for a caller alone in the
  // room (1.4 s of speech), so most of that time is sound.
  const alone = slice(heard, Math.max(0, aAloneAt - 0.5), aAloneAt + 2);
  const spoken = activeSeconds(alone, -45);
  assert.ok(spoken > 1.0, `A alone in the room hears the greeting: ${spoken.toFixed(2)} s of sound in 2.5 s`);
  const around = slice(heard, Math.max(0, aSawBAt - 2), aSawBAt + 1);
  assert.ok(beepPairAt(around, 600, 900) !== undefined, `A hears the join tone when B arrives: ${describeTones(around, { ...TONES, join1: 600, join2: 900 })}`);
  assert.is(beepPairAt(around, 900, 600), undefined, 'and not the leave tone');
});

test("each baresip phone hears the other two tones and not its own (the mixer's minus-self mix)", async () => {
  await sleep(3500);
  const a = lastSeconds(A, 2.5);
  const b = lastSeconds(B, 2.5);
  hears(a, 'B', 'A hears B');
  hears(a, 'L', 'A hears L');
  silent(a, 'A', 'A does not hear itself');
  hears(b, 'A', 'B hears A');
  hears(b, 'L', 'B hears L');
  silent(b, 'B', 'B does not hear itself');
});

test('`softswitch room mute 8000 p2` is heard: A no longer hears B but still L; `room unmute` brings B back', async () => {
  const r = await sw.cli('room', 'mute', '8000', 'p2');
  assert.is(r.code, 0, r.stderr);
  assert.ok((await live()).participants.find((p) => p.id === 'p2')?.muted);
  await sleep(3000);
  const a = lastSeconds(A, 2);
  silent(a, 'B', 'A does not hear the muted B');
  hears(a, 'L', 'A still hears L');
  assert.is((await sw.cli('room', 'unmute', '8000', '2001')).code, 0, 'by device extension');
  await sleep(3000);
  hears(lastSeconds(A, 2), 'B', 'A hears B again');
});

test('`softswitch room kick 8000 p3` ends L\'s call, and A no longer hears L; L heard A and B while it was in', async () => {
  const lMark = L.output.length;
  const r = await sw.cli('room', 'kick', '8000', 'p3');
  assert.is(r.code, 0, r.stderr);
  await L.waitOutput(/ended|terminated/i, 10_000, lMark);
  await until('two in the room', () => inRoom(2));
  await sleep(2500);
  const a = lastSeconds(A, 2);
  silent(a, 'L', 'A does not hear the kicked L');
  hears(a, 'B', 'A still hears B');
  await sleep(500); // linphonec closes its WAV
  const heard = readWav(lrec);
  const from = (allInAt - lAnsweredAt) / 1000 + 0.5;
  const l = slice(heard, from, from + 3);
  hears(l, 'A', 'L heard A');
  hears(l, 'B', 'L heard B');
  silent(l, 'L', 'L did not hear itself');
});

test('the admin PIN gives the admin keys: A rejoins with 9999, *1 mutes everyone else (A hears nobody, B still hears A), *2 unmutes', async () => {
  const mark = A.mark();
  assert.ok((await A.command('hangup')).ok);
  await A.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, mark);
  await until('A left', () => inRoom(1));
  await dialRoom(A);
  await A.sendKeys('9999#');
  const v = await until('A back in, as admin', async () => (await inRoom(2))?.participants.find((p) => p.number === '1000' && p.admin) ? true : undefined);
  assert.ok(v);
  await sleep(4000); // "joined as administrator" then the room
  hears(lastSeconds(A, 2), 'B', 'A (admin) hears B');
  await A.sendKeys('*1');
  await until('B muted', async () => ((await live()).participants.find((p) => p.number === '2000')?.muted ? true : undefined), 5000);
  await sleep(3500);
  silent(lastSeconds(A, 2), 'B', 'after *1 A does not hear B');
  hears(lastSeconds(B, 2), 'A', 'B still hears the admin');
  await A.sendKeys('*2');
  await until('B unmuted', async () => ((await live()).participants.find((p) => p.number === '2000')?.muted === false ? true : undefined), 5000);
  await sleep(3000);
  hears(lastSeconds(A, 2), 'B', 'after *2 A hears B again');
});

test('a wrong PIN three times: "wrong PIN" prompts, the goodbye, then the switch hangs up (issue 5)', async () => {
  let mark = A.mark();
  assert.ok((await A.command('hangup')).ok);
  await A.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, mark);
  mark = A.mark();
  await dialRoom(A);
  const established = Date.now();
  for (let i = 0; i < 3; i++) {
    await A.sendKeys('1111#');
    await sleep(600);
  }
  const closed = await A.waitEvent((e) => e.type === 'CALL_CLOSED', 20_000, mark);
  assert.ok(Date.now() - established > 2000, 'not before the goodbye prompt');
  assert.is((await live()).participants.length, 1, 'only B in the room');
  assert.ok(closed);
});

test('history: the room calls are rows with 8000 dialled, answered', async () => {
  const r = await sw.cli('history', '--json');
  assert.is(r.code, 0, r.stderr);
  const rows = (JSON.parse(r.stdout) as Array<Record<string, unknown>>).filter((x) => x['dialled'] === '8000');
  assert.ok(rows.length >= 5, `rows: ${rows.length}`);
  assert.ok(rows.every((x) => x['disposition'] === 'answered' || x['disposition'] === null));
});

test('a public room without PIN: the CLI warns when it is made, and the switch logs room.no_pin when it starts (issue 5)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'conference-nopin-'));
  try {
    let other = await startSwitchProcess({}, { dir });
    assert.is((await other.cli('conference-range', 'set', '8000-8099')).code, 0);
    const add = await other.cli('room', 'add', '8001', '--name', 'Open', '--public');
    assert.is(add.code, 0, add.stderr);
    assert.match(add.stderr, /warning: public room 8001 has no PIN/);
    await other.stop();
    other = await startSwitchProcess({}, { dir });
    const line = await other.waitForLog((l) => l['event'] === 'room.no_pin');
    assert.is(line['room'], '8001');
    await other.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
