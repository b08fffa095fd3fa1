// A private conference room with real phones (issue 5, "Done means": "A private room: owner
// enters without PIN; a blind transfer brings a party in without PIN; a direct call by another
// user is asked for the PIN"). Room 8010 belongs to Alice (user 1000) and has PIN 4321.
//
//   baresip A (Alice's 1001) dials 8010 and is in the room as administrator without a key;
//   baresip B (Bob's 2001) dials 8010: not let in until it sends the PIN (RFC 4733), then
//     A and B hear each other;
//   A holds the room call, calls Carol (linphonec L, 3001), and transfers her (REFER, RFC 3515)
//     to 8010: L is re-INVITEd by the switch into the room without a PIN; A resumes the room
//     call and A, B and L hear each other;
//   attended: Bob leaves; Alice's second phone (linphonec LA, 1002) calls Bob, pauses him, calls
//     8010 (a consultation call: Alice is in the room already, so it is asked for the PIN and
//     gets it), then `transfer --to-call` (REFER with Replaces naming that room dialog, RFC
//     3891 §7.1): Bob takes the room leg's place without a PIN, LA's room leg ends.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTones, toneFraction } from '../support/audio-analysis.js';
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
let LA: Linphonec;
let media: string;

interface LiveJson {
  participants: Array<{ id: string; number: string; device: string | null; muted: boolean; admin: boolean }>;
}

test.before(async () => {
  try {
    media = mkdtempSync(join(tmpdir(), 'conference-private-'));
    sw = await startSwitchProcess({ log: { level: 'info', pretty: false } });
    provision(sw.dir, [
      { ext: '1000', name: 'Alice', devices: ['1001', '1002'], authAlgorithms: ['MD5'], primary: null },
      { ext: '2000', name: 'Bob', devices: ['2001'], authAlgorithms: ['MD5'], primary: null },
      { ext: '3000', name: 'Carol', devices: ['3001'], authAlgorithms: ['MD5'], primary: null },
    ]);
    for (const args of [
      ['conference-range', 'set', '8000-8099'],
      ['room', 'add', '8010', '--name', 'Alice', '--private', '--owner', '1000', '--pin', '4321'],
    ]) {
      const r = await sw.cli(...args);
      assert.is(r.code, 0, r.stderr);
    }
    const account = (ext: string) => `<sip:${ext}@127.0.0.1:${sw.sipPort}>;auth_pass=${secretFor(ext)};regint=600;audio_codecs=PCMU,PCMA`;
    A = await Baresip.start({ account: account('1001'), source: writeToneWav(join(media, 'a.wav'), TONE.A, 300) });
    B = await Baresip.start({ account: account('2001'), source: writeToneWav(join(media, 'b.wav'), TONE.B, 300) });
    L = await Linphonec.start({ user: '3001', password: secretFor('3001'), server: `127.0.0.1:${sw.sipPort}`, domain: 'pbx.local', expires: 600 });
    L.send('soundcard use files');
    L.send(`play ${writeToneWav(join(media, 'l.wav'), TONE.L, 300)}`);
    LA = await Linphonec.start({ user: '1002', password: secretFor('1002'), server: `127.0.0.1:${sw.sipPort}`, domain: 'pbx.local', expires: 600 });
    LA.send('soundcard use files');
    await Promise.all([A.waitRegistered(), B.waitRegistered(), L.waitRegistered(), LA.waitRegistered()]);
  } catch (err) {
    console.error(err);
    throw err;
  }
});

test.after(async () => {
  await Promise.allSettled([A?.stop(), B?.stop(), L?.stop(), LA?.stop()]);
  await sw?.stop();
  for (const p of [A, B, L, LA]) p?.cleanup();
  if (media) rmSync(media, { recursive: true, force: true });
});

async function live(): Promise<LiveJson> {
  const r = await sw.cli('room', 'live', '8010', '--json');
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as LiveJson;
}



function lastSeconds(b: Baresip, s: number): Pcm {
  const pcm = readWav(b.latestRecording()!);
  const end = seconds(pcm) - 0.3;
  return slice(pcm, end - s, end);
}

function hears(pcm: Pcm, who: keyof typeof TONE, what: string): void {
  assert.ok(toneFraction(pcm, TONE[who]) > 0.8, `${what}: ${describeTones(pcm, TONES)}`);
}

test('the owner dials the private room from her phone and is in it as administrator without a PIN (issue 5)', async () => {
  const mark = A.mark();
  assert.ok((await A.command('dial', `sip:8010@127.0.0.1:${sw.sipPort}`)).ok);
  await A.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, mark);
  const v = await until('A in the room', async () => ((await live()).participants.length === 1 ? live() : undefined), 5000);
  assert.equal(v.participants.map((p) => [p.number, p.device, p.admin]), [['1000', '1001', true]]);
  assert.is(A.eventsSince(mark, 'CALL_DTMF_START').length, 0);
});

test('another user dialling the private room directly is asked for the PIN: not in the room until it sends 4321#', async () => {
  const mark = B.mark();
  assert.ok((await B.command('dial', `sip:8010@127.0.0.1:${sw.sipPort}`)).ok);
  await B.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, mark);
  await sleep(4500);
  assert.is((await live()).participants.length, 1, 'B waits at the PIN prompt');
  // After the prompt (about 3 s of speech, whose voice crosses A's frequency now and then):
  const waiting = lastSeconds(B, 1.2);
  assert.ok(toneFraction(waiting, TONE.A) < 0.2, `B does not hear the room before the PIN: ${describeTones(waiting, TONES)}`);
  await B.sendKeys('4321#');
  const v = await until('B in the room', async () => ((await live()).participants.length === 2 ? live() : undefined));
  assert.equal(v.participants.map((p) => [p.number, p.admin]), [['1000', true], ['2000', false]]);
  await sleep(3000);
  hears(lastSeconds(B, 2), 'A', 'B hears A');
  hears(lastSeconds(A, 2), 'B', 'A hears B');
});

test('the owner holds the room call, calls Carol and transfers her blind to 8010 (REFER, RFC 3515): Carol joins without a PIN; the owner resumes and all three hear each other', async () => {
  assert.ok((await A.command('hold')).ok, 'A holds the room call');
  await sleep(1000);
  const lMark = L.output.length;
  const mark = A.mark();
  assert.ok((await A.command('dial', `sip:3000@127.0.0.1:${sw.sipPort}`)).ok);
  await L.waitOutput(/Receiving new incoming call from "Alice" <sip:1000@pbx\.local>, assigned id (\d+)/, 10_000, lMark);
  L.send('answer');
  await A.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, mark);
  await sleep(1000);
  const r = await A.command('transfer', `sip:8010@127.0.0.1:${sw.sipPort}`);
  assert.ok(r.ok, r.data);
  const v = await until('Carol in the room', async () => ((await live()).participants.length === 3 ? live() : undefined)).catch((err: Error) => {
    console.log(sw.logs.filter((l) => /call|conference|transfer|refer/.test(String(l['event']))).slice(-30).map((l) => JSON.stringify(l)).join('\n'));
    console.log(A.output.slice(-3000));
    throw err;
  });
  assert.equal(v.participants.map((p) => [p.number, p.device, p.admin]), [['1000', '1001', true], ['2000', '2001', false], ['3000', '3001', false]]);
  // A's call with Carol ends (A's BYE on NOTIFY 200, or ours after the grace period).
  await A.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, mark);
  await sleep(500);
  const resumed = await A.command('resume');
  assert.ok(resumed.ok, resumed.data);
  await sleep(4000);
  const b = lastSeconds(B, 2);
  hears(b, 'L', 'B hears Carol');
  hears(b, 'A', 'B hears the owner again after the resume');
});

test("attended transfer into the room (REFER with Replaces, RFC 3891 §7.1): Alice's second phone consults the room (asked for the PIN), then hands that room leg to Bob", async () => {
  let mark = B.mark();
  assert.ok((await B.command('hangup')).ok);
  await B.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, mark);
  await until('Bob left', async () => ((await live()).participants.length === 2 ? true : undefined));
  mark = B.mark();
  const laMark = LA.output.length;
  LA.send(`call sip:2000@127.0.0.1:${sw.sipPort}`);
  const first = await LA.waitOutput(/Establishing call id to sip:2000@[^,]*, assigned id (\d+)/, 5000, laMark);
  await B.waitEvent((e) => e.type === 'CALL_INCOMING', 10_000, mark);
  assert.ok((await B.command('accept')).ok);
  await B.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, mark);
  await sleep(1000);
  LA.send(`pause ${first[1]}`);
  await LA.waitOutput(/is now paused/, 5000, laMark);
  LA.send(`call sip:8010@127.0.0.1:${sw.sipPort}`);
  const second = await LA.waitOutput(/Establishing call id to sip:8010@[^,]*, assigned id (\d+)/, 5000, laMark);
  await sleep(2500);
  assert.is((await live()).participants.length, 2, "the consultation call waits at the PIN prompt (Alice is in the room on another call)");
  for (const k of '4321#') {
    LA.send(k);
    await sleep(400);
  }
  const consult = await until('the consultation leg in the room', async () => (await live()).participants.find((p) => p.device === '1002'));
  assert.is(consult.admin, false);
  LA.send(`transfer ${first[1]} --to-call ${second[1]}`);
  const v = await until('Bob in the room in its place', async () => {
    const now = await live();
    return now.participants.some((p) => p.device === '2001') && !now.participants.some((p) => p.device === '1002') ? now : undefined;
  });
  assert.equal(v.participants.map((p) => [p.number, p.device, p.admin]), [['1000', '1001', true], ['3000', '3001', false], ['2000', '2001', false]]);
  await LA.waitOutput(new RegExp(`Call ${second[1]} with [^\\n]* ended`), 10_000, laMark);
  await sleep(3000);
  const b = lastSeconds(B, 2);
  hears(b, 'A', 'Bob hears Alice in the room');
  hears(b, 'L', 'Bob hears Carol in the room');
});

test.run();
