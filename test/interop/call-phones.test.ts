// Real phones calling each other through the switch (issue 3, "Done means"): baresip A is
// Alice's device 1001; Bob (main extension 2000) has two devices, baresip B (2001) and
// linphonec L (2002). Each phone sends its own fractional-frequency tone from a WAV and
// records what it hears (baresip sndfile dump-*-dec.wav, linphonec `record`); every audio
// verdict below comes from those recordings, every signalling verdict from the phones' own
// reports or from tshark on the loopback interface.
//
// Call 1: A dials 2000, both of Bob's devices ring, B answers, L gets CANCEL with
//   `Reason: SIP;cause=200;text="Call completed elsewhere"` (RFC 3326); two-way audio; A
//   holds (music on hold for B), resumes; RFC 4733 digits both ways.
// Call 2: A dials 2000 again, L answers, B is cancelled with the Reason; L pauses (music on
//   hold for A) and resumes; digits both ways.
// Call 3: SIPp (Carol, 3001, custom caller ID) dials B's device extension; DTMF as SIP INFO
//   (application/dtmf-relay and application/dtmf) reaches B as RFC 4733, B's digit reaches
//   SIPp as INFO (it negotiated no telephone-event).
//
// The music on hold is the shipped tune looped for 5 minutes (calls.musicOnHold): a file
// that takes more than one 20 ms media tick to read, so that the first hold of a worker
// does not depend on how fast the disk is (see the note at the "A holds" test).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeChunks, describeTones, heardChunks, heardSequence, MusicReference, toneFraction } from '../support/audio-analysis.js';
import { Baresip } from '../support/baresip.js';
import { freePort } from '../support/free-port.js';
import { Linphonec } from '../support/linphonec.js';
import { repoRoot } from '../support/paths.js';
import { provision, secretFor } from '../support/provision.js';
import { SipCapture } from '../support/sip-capture.js';
import { authRows, runSipp, scenarioPath } from '../support/sipp.js';
import { startSwitchProcess, type SwitchProcess } from '../support/switch-process.js';
import { readWav, slice, seconds, writeToneWav } from '../support/wav.js';
import { sleep, until } from '../support/waiting.js';

/** Away from each other's G.711 distortion products and from every note of the music on hold. */
const TONE = { A: 701.3, B: 1109.9, L: 1703.1 };
const REASON_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

let sw: SwitchProcess;
let cap: SipCapture;
let A: Baresip;
let B: Baresip;
let L: Linphonec;
let media: string;
let music: MusicReference;
let lrec: string;
/** When the digits test began: L's recording after that has DTMF in it, not only A's tone. */
let digitsStartedAt = 0;

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
  callee: { answeredBy: string | null };
  legs: LegJson[];
}

test.before(async () => {
  try {
    media = mkdtempSync(join(tmpdir(), 'call-phones-'));
    const moh = join(repoRoot, 'media', 'moh', 'default.wav');
    const longMoh = join(media, 'moh-5min.wav');
    execFileSync('sox', [moh, longMoh, 'repeat', '39']);
    music = new MusicReference(readWav(moh), 8000, 2000);
    sw = await startSwitchProcess({ log: { level: 'info', pretty: false }, calls: { musicOnHold: longMoh } });
    provision(sw.dir, [
      // baresip 1.0 (libre < 2024) gives up on any SHA-256 challenge: MD5-only devices.
      { ext: '1000', name: 'Alice', devices: ['1001'], authAlgorithms: ['MD5'], primary: null },
      { ext: '2000', name: 'Bob', devices: ['2001', '2002'], authAlgorithms: ['MD5'], primary: null },
      { ext: '3000', name: 'Carol', devices: ['3001'], authAlgorithms: ['MD5'], primary: null, callerId: '+15557654321' },
    ]);
    cap = await SipCapture.start([sw.sipPort]);
    const account = (ext: string) => `<sip:${ext}@127.0.0.1:${sw.sipPort}>;auth_pass=${secretFor(ext)};regint=600;audio_codecs=PCMU,PCMA`;
    A = await Baresip.start({ account: account('1001'), source: writeToneWav(join(media, 'a.wav'), TONE.A, 120) });
    B = await Baresip.start({ account: account('2001'), source: writeToneWav(join(media, 'b.wav'), TONE.B, 120), sipTrace: true });
    L = await Linphonec.start({ user: '2002', password: secretFor('2002'), server: `127.0.0.1:${sw.sipPort}`, domain: 'pbx.local', expires: 600 });
    lrec = join(media, 'linphonec-heard.wav');
    L.send('soundcard use files');
    L.send(`play ${writeToneWav(join(media, 'l.wav'), TONE.L, 120)}`);
    L.send(`record ${lrec}`);
    await Promise.all([A.waitRegistered(), B.waitRegistered(), L.waitRegistered()]);
  } catch (err) {
    console.error(err); // uvu does not report errors thrown in hooks
    throw err;
  }
});

test.after(async () => {
  await Promise.allSettled([A?.stop(), B?.stop(), L?.stop()]);
  await cap?.stop();
  await sw?.stop();
  for (const p of [A, B, L]) p?.cleanup();
  if (media) rmSync(media, { recursive: true, force: true });
});

async function liveCalls(): Promise<CallJson[]> {
  const r = await sw.cli('calls', '--json');
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as CallJson[];
}

const digits = (b: Baresip, from: number): string =>
  b
    .eventsSince(from, 'CALL_DTMF_START')
    .map((e) => e.param)
    .join('');



// ------------------------------------------------------------------ call 1: baresip B answers

test("dialling Bob's main extension rings both his devices; B answers and L gets CANCEL with Reason: SIP;cause=200 (RFC 3326), seen on the wire", async () => {
  const lMark = L.output.length;
  const bMark = B.mark();
  const r = await A.command('dial', `sip:2000@127.0.0.1:${sw.sipPort}`);
  assert.ok(r.ok, r.data);
  const incoming = await B.waitEvent((e) => e.type === 'CALL_INCOMING', 10_000, bMark);
  await L.waitOutput(/Receiving new incoming call from "Alice" <sip:1000@pbx\.local>/, 10_000, lMark);
  // Caller ID: Alice's main extension and name, not the device that dialled (1001).
  assert.is(incoming.param, 'sip:1000@pbx.local');

  const answered = await B.command('accept');
  assert.ok(answered.ok, answered.data);
  await A.waitEvent((e) => e.type === 'CALL_ESTABLISHED');
  await L.waitOutput(/Call \d+ with "Alice" <sip:1000@pbx\.local> ended/, 10_000, lMark);

  const toL = (m: { dstPort: number }) => m.dstPort === L.sipPort;
  const invite = await cap.waitFor((m) => toL(m) && m.method === 'INVITE' && m.status === undefined, 5000, 'INVITE to linphonec');
  assert.equal(cap.header(invite, 'P-Asserted-Identity'), ['"Alice" <sip:1000@pbx.local>'], 'PAI (RFC 3325 §9.1)');
  await cap.waitFor((m) => m.dstPort === B.sipPort && m.method === 'INVITE' && m.status === undefined, 5000, 'INVITE to baresip B');
  const cancel = await cap.waitFor((m) => toL(m) && m.method === 'CANCEL' && m.status === undefined, 5000, 'CANCEL to linphonec');
  assert.equal(cap.header(cancel, 'Reason'), [REASON_ELSEWHERE]);
  await cap.waitFor((m) => m.srcPort === L.sipPort && m.method === 'INVITE' && m.status === 487, 5000, "linphonec's 487 for the cancelled INVITE");
  const toB = await cap.all((m) => m.dstPort === B.sipPort && m.method === 'CANCEL');
  assert.is(toB.length, 0, 'the device that answered is not cancelled');

  const [call] = await liveCalls();
  assert.is(call?.state, 'answered');
  assert.is(call?.callee.answeredBy, '2001');
  assert.equal(call?.legs.map((l) => l.codec), ['PCMU', 'PCMU']);
});

test("A and B hear each other: A's tone is in what B decoded, B's tone in what A decoded", async () => {
  await sleep(3000);
  const heardByB = readWav(B.latestRecording()!);
  const heardByA = readWav(A.latestRecording()!);
  assert.ok(seconds(heardByB) > 2 && seconds(heardByA) > 2, `recordings grow while the call runs: ${seconds(heardByB)} s, ${seconds(heardByA)} s`);
  const tones = { A: TONE.A, B: TONE.B, L: TONE.L };
  // The first half second may hold the jitter buffer's start-up silence.
  const b = slice(heardByB, 0.5, 60);
  const a = slice(heardByA, 0.5, 60);
  assert.ok(toneFraction(b, TONE.A) > 0.9, `B heard A: ${describeTones(b, tones)}`);
  assert.ok(toneFraction(b, TONE.B) === 0, `B does not hear itself: ${describeTones(b, tones)}`);
  assert.ok(toneFraction(a, TONE.B) > 0.9, `A heard B: ${describeTones(a, tones)}`);
  assert.ok(toneFraction(a, TONE.A) === 0, `A does not hear itself: ${describeTones(a, tones)}`);
});

// The switch plays the music from the held party's endpoint in the media worker. The first
// hold of a worker loads the file; with a file that takes longer than a tick to read, the
// worker must still end up playing it (and suppress the relay) - see src/mixer/worker/media-worker.ts 'moh.start'.
test('A holds (RFC 3264 §8.4 sendonly): B hears the music on hold instead of A; A resumes and B hears A again', async () => {
  const hold = await A.command('hold');
  assert.ok(hold.ok, hold.data);
  await until('the switch shows the call held', async () => ((await liveCalls())[0]?.state === 'held' ? true : undefined), 5000);
  await sleep(4000);
  const resume = await A.command('resume');
  assert.ok(resume.ok, resume.data);
  await until('the switch shows the call answered again', async () => ((await liveCalls())[0]?.state === 'answered' ? true : undefined), 5000);
  await sleep(3000);

  const heardByB = readWav(B.latestRecording()!);
  const chunks = heardChunks(slice(heardByB, 0.5, 600), TONE.A, music);
  assert.equal(heardSequence(chunks), ['tone', 'music', 'tone'], `what B heard: ${describeChunks(chunks)}`);
  const musicChunks = chunks.filter((c) => c.heard === 'music').length;
  assert.ok(musicChunks >= 5, `music for most of the 4 s hold: ${musicChunks} half-seconds`);
});

test('RFC 4733 digits both ways between the baresip phones (relayed as telephone-events)', async () => {
  const bMark = B.mark();
  const aMark = A.mark();
  await A.sendKeys('123#');
  await until('B received 4 digits', () => (digits(B, bMark).length >= 4 ? true : undefined), 5000).catch(() => undefined);
  assert.is(digits(B, bMark), '123#', `B's DTMF events: ${JSON.stringify(B.eventsSince(bMark))}`);
  await B.sendKeys('9*0');
  await until('A received 3 digits', () => (digits(A, aMark).length >= 3 ? true : undefined), 5000).catch(() => undefined);
  assert.is(digits(A, aMark), '9*0', `A's DTMF events: ${JSON.stringify(A.eventsSince(aMark))}`);
});

test('A hangs up: B gets BYE; no call is left', async () => {
  const bMark = B.mark();
  const r = await A.command('hangup');
  assert.ok(r.ok, r.data);
  await B.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, bMark);
  await until('no live call', async () => ((await liveCalls()).length === 0 ? true : undefined), 5000);
});

// ------------------------------------------------------------------ call 2: linphonec answers

test('call 2: L answers, and baresip B is cancelled with the Reason - on the wire and in its own SIP trace', async () => {
  const lMark = L.output.length;
  const bMark = B.mark();
  const aMark = A.mark();
  const traceMark = B.output.length;
  const r = await A.command('dial', `sip:2000@127.0.0.1:${sw.sipPort}`);
  assert.ok(r.ok, r.data);
  await B.waitEvent((e) => e.type === 'CALL_INCOMING', 10_000, bMark);
  await L.waitOutput(/Receiving new incoming call from "Alice" <sip:1000@pbx\.local>/, 10_000, lMark);
  L.send('answer');
  await A.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, aMark);
  await B.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, bMark);

  const cancel = await cap.waitFor((m) => m.dstPort === B.sipPort && m.method === 'CANCEL' && m.status === undefined, 5000, 'CANCEL to baresip B');
  assert.equal(cap.header(cancel, 'Reason'), [REASON_ELSEWHERE]);
  const trace = B.output.slice(traceMark);
  const at = trace.indexOf('CANCEL sip:');
  assert.ok(at >= 0, 'baresip traced the CANCEL it received');
  assert.match(trace.slice(at, trace.indexOf('\n\r\n', at) > 0 ? trace.indexOf('\n\r\n', at) : at + 800), /Reason: SIP;cause=200;text="Call completed elsewhere"/);
  const [call] = await liveCalls();
  assert.is(call?.callee.answeredBy, '2002');
});

test('L pauses the call (hold): A hears the music instead of L, and L again after L resumes', async () => {
  await sleep(3000);
  const mark = L.output.length;
  L.send('pause');
  await L.waitOutput(/is now paused/, 5000, mark);
  await until('the switch shows the call held', async () => ((await liveCalls())[0]?.state === 'held' ? true : undefined), 5000);
  await sleep(4000);
  L.send('resume');
  await until('the switch shows the call answered again', async () => ((await liveCalls())[0]?.state === 'answered' ? true : undefined), 5000);
  await sleep(3000);
  const heardByA = readWav(A.latestRecording()!);
  const chunks = heardChunks(slice(heardByA, 0.5, 600), TONE.L, music);
  assert.equal(heardSequence(chunks), ['tone', 'music', 'tone'], `what A heard: ${describeChunks(chunks)}`);
});

test('digits both ways between baresip and linphonec (RFC 4733): linphonec reports the tones, baresip its DTMF events', async () => {
  digitsStartedAt = Date.now();
  const mark = L.output.length;
  await A.sendKeys('47');
  await L.waitOutput(/Receiving tone 4 from[^]*Receiving tone 7 from/, 5000, mark);
  const aMark = A.mark();
  for (const k of ['8', '#']) {
    L.send(k); // linphonec sends a line made of DTMF keys as digits
    await sleep(400);
  }
  await until('A received 2 digits', () => (digits(A, aMark).length >= 2 ? true : undefined), 5000).catch(() => undefined);
  assert.is(digits(A, aMark), '8#', `A's DTMF events: ${JSON.stringify(A.eventsSince(aMark))}`);
});

test("L hangs up; what L recorded has A's tone before its hold and after it", async () => {
  const aMark = A.mark();
  L.send('terminate');
  await A.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, aMark);
  await until('no live call', async () => ((await liveCalls()).length === 0 ? true : undefined), 5000);
  await sleep(500); // linphonec closes its WAV
  const heard = readWav(lrec);
  const tones = { A: TONE.A, B: TONE.B, L: TONE.L };
  // linphonec records nothing while it holds: the file is the time before and after its hold.
  const before = slice(heard, 0.5, 2.5);
  // The 3 s after the resume, before the digits (linphonec plays its own DTMF feedback and
  // baresip stops its tone while it sends events): the file ends at the hang-up.
  const sinceDigits = (Date.now() - digitsStartedAt) / 1000;
  const afterEnd = seconds(heard) - sinceDigits - 0.2;
  const after = slice(heard, afterEnd - 2, afterEnd);
  assert.ok(toneFraction(before, TONE.A) > 0.9, `L heard A before the hold: ${describeTones(before, tones)}`);
  assert.ok(toneFraction(after, TONE.A) > 0.8, `L heard A after resuming: ${describeTones(after, tones)}`);
  assert.ok(toneFraction(heard, TONE.L) === 0, `L does not hear itself: ${describeTones(heard, tones)}`);
});

// ------------------------------------------------------------------ call 3: DTMF as SIP INFO

test("SIP INFO DTMF: SIPp (Carol, custom caller ID) calls B's device extension; INFO dtmf-relay and application/dtmf reach B as RFC 4733, B's digit reaches SIPp as INFO", async () => {
  const bMark = B.mark();
  const sipp = runSipp({
    scenario: scenarioPath('call-uac-info-dtmf.xml'),
    target: `127.0.0.1:${sw.sipPort}`,
    rows: authRows(['3001'], secretFor).map((r) => `${r};2001`),
    calls: 1,
    localPort: await freePort(),
    timeoutMs: 40_000,
    extraArgs: ['-auth_uri', '2001@pbx.local', '-mp', String(await freePort(41000, 41999))],
  });
  const incoming = await B.waitEvent((e) => e.type === 'CALL_INCOMING', 10_000, bMark).catch(async (err: Error) => {
    const r = await sipp;
    throw new Error(`${err.message}\nSIPp: ${r.output}\n${r.errors}`);
  });
  assert.is(incoming.param, 'sip:+15557654321@pbx.local', "Carol's custom caller ID");
  const accepted = await B.command('accept');
  assert.ok(accepted.ok, accepted.data);
  await until('B received 2 digits', () => (digits(B, bMark).length >= 2 ? true : undefined), 10_000).catch(() => undefined);
  assert.is(digits(B, bMark), '57', `B's DTMF events: ${JSON.stringify(B.eventsSince(bMark))}`);
  await B.sendKeys('8');
  const r = await sipp;
  assert.is(r.code, 0, `SIPp (INFO Signal=8 expected): ${r.output}\n${r.errors}`);
  const info = await cap.waitFor((m) => m.method === 'INFO' && m.status === undefined && m.srcPort === sw.sipPort, 2000, 'INFO from the switch');
  assert.equal(cap.header(info, 'Content-Type'), ['application/dtmf-relay']);
});

test("history: three answered calls, by 2001, 2002 and 2001; nobody missed a call (completed elsewhere is not missed)", async () => {
  await sleep(300); // history is written behind (100 ms)
  const h = await sw.cli('history', '--json');
  assert.is(h.code, 0, h.stderr);
  const rows = (JSON.parse(h.stdout) as Array<Record<string, unknown>>).reverse(); // newest first -> oldest first
  assert.equal(
    rows.map((r) => [r['callerDevice'], r['dialled'], r['disposition'], r['answeredBy']]),
    [
      ['1001', '2000', 'answered', '2001'],
      ['1001', '2000', 'answered', '2002'],
      ['3001', '2001', 'answered', '2001'],
    ],
  );
  assert.equal(rows[1]!['endReason'], 'callee hung up');
  for (const r of rows) assert.equal(r['missedBy'], [], `no missed call: ${JSON.stringify(r)}`);
  const missed = await sw.cli('history', '--missed', '--json');
  assert.equal(JSON.parse(missed.stdout), []);
});

test.run();
