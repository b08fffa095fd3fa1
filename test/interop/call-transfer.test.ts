// Transfers through the real switch with real phones (issue 3, "Mid-call"; src/app/calls/transfer).
// Alice is baresip A (1001); Bob has baresip B (2001, auto-answer) and linphonec L (2002);
// Carol is baresip C (3001, auto-answer). Every phone sends its own fractional-frequency tone
// from a WAV; the baresips record what they hear (sndfile dump-*-dec.wav). Signalling verdicts
// come from tshark on the loopback interface (headers) and from B's own SIP trace (the NOTIFY
// bodies), the user-visible ones from the phones' events; audio verdicts from the recordings.
//
// Blind: A calls B; B transfers with baresip's `transfer` command (REFER, RFC 3515) to Carol's
//   main extension; C rings and answers; B hangs up on NOTIFY 200 by itself (RFC 5589 §6.1);
//   A and C hear each other, C was presented Alice, A is told Carol (P-Asserted-Identity).
// Blind to an unknown number: NOTIFY 404; linphonec keeps its call with A (both hear each
//   other); baresip reports the failure and hangs up by itself (its menu module's policy).
// Attended: A calls L; L pauses A, calls Carol (C answers), then `transfer 1 --to-call 2`
//   (REFER with Replaces, RFC 3891); A and C are joined, hear each other, see each other.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTones, toneFraction } from '../support/audio-analysis.js';
import { Baresip } from '../support/baresip.js';
import { Linphonec } from '../support/linphonec.js';
import { provision, secretFor } from '../support/provision.js';
import { SipCapture, type CapturedSip } from '../support/sip-capture.js';
import { startSwitchProcess, type SwitchProcess } from '../support/switch-process.js';
import { readWav, seconds, slice, writeToneWav, type Pcm } from '../support/wav.js';
import { sleep, until } from '../support/waiting.js';

/** Fractional frequencies away from each other's G.711 distortion products (../shared/PEERS.md). */
const TONE = { A: 701.3, B: 1109.9, L: 1703.1, C: 1453.7 };

let sw: SwitchProcess;
let cap: SipCapture;
let A: Baresip;
let B: Baresip;
let C: Baresip;
let L: Linphonec;
let media: string;

interface CallJson {
  id: string;
  state: string;
  caller: { number: string };
  callee: { answeredBy: string | null };
  legs: Array<{ device: string | null; packetsIn: number; packetsOut: number }>;
}

test.before(async () => {
  try {
    media = mkdtempSync(join(tmpdir(), 'call-transfer-'));
    sw = await startSwitchProcess({ log: { level: 'info', pretty: false } });
    provision(sw.dir, [
      // baresip 1.0 (libre < 2024) gives up on any SHA-256 challenge: MD5-only devices.
      { ext: '1000', name: 'Alice', devices: ['1001'], authAlgorithms: ['MD5'], primary: null },
      { ext: '2000', name: 'Bob', devices: ['2001', '2002'], authAlgorithms: ['MD5'], primary: null },
      { ext: '3000', name: 'Carol', devices: ['3001'], authAlgorithms: ['MD5'], primary: null },
    ]);
    cap = await SipCapture.start([sw.sipPort]);
    const account = (ext: string, extra = '') => `<sip:${ext}@127.0.0.1:${sw.sipPort}>;auth_pass=${secretFor(ext)};regint=600;audio_codecs=PCMU,PCMA${extra}`;
    A = await Baresip.start({ account: account('1001'), source: writeToneWav(join(media, 'a.wav'), TONE.A, 120) });
    B = await Baresip.start({ account: account('2001', ';answermode=auto'), source: writeToneWav(join(media, 'b.wav'), TONE.B, 120), sipTrace: true });
    C = await Baresip.start({ account: account('3001', ';answermode=auto'), source: writeToneWav(join(media, 'c.wav'), TONE.C, 120) });
    L = await Linphonec.start({ user: '2002', password: secretFor('2002'), server: `127.0.0.1:${sw.sipPort}`, domain: 'pbx.local', expires: 600 });
    L.send('soundcard use files');
    L.send(`play ${writeToneWav(join(media, 'l.wav'), TONE.L, 120)}`);
    await Promise.all([A.waitRegistered(), B.waitRegistered(), C.waitRegistered(), L.waitRegistered()]);
  } catch (err) {
    console.error(err); // uvu does not report errors thrown in hooks
    throw err;
  }
});

test.after(async () => {
  await Promise.allSettled([A?.stop(), B?.stop(), C?.stop(), L?.stop()]);
  await cap?.stop();
  await sw?.stop();
  for (const p of [A, B, C, L]) p?.cleanup();
  if (media) rmSync(media, { recursive: true, force: true });
});

async function liveCalls(): Promise<CallJson[]> {
  const r = await sw.cli('calls', '--json');
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as CallJson[];
}


const request = (method: string, dstPort: number, after: number) => (m: CapturedSip) => m.method === method && m.status === undefined && m.dstPort === dstPort && m.time * 1000 >= after;

/** The P-Asserted-Identity of the first re-INVITE or UPDATE the switch sent to `port` after `after` (ms). */
async function identityUpdateTo(port: number, after: number): Promise<string[]> {
  const m = await cap.waitFor((x) => (request('UPDATE', port, after)(x) || request('INVITE', port, after)(x)) && x.srcPort === sw.sipPort, 5000, 'identity update');
  return cap.header(m, 'P-Asserted-Identity');
}

/** The sipfrag status lines of the NOTIFYs baresip B traced (its own view of what it received). */
function notifyFrags(trace: string): string[] {
  return [...trace.matchAll(/NOTIFY sip:[^]*?\r?\n\r?\n(SIP\/2\.0 \d{3}[^\r\n]*)/g)].map((m) => m[1]!);
}

/** History rows, oldest first. */
async function history(): Promise<Array<Record<string, unknown>>> {
  await sleep(300); // written behind (100 ms)
  const h = await sw.cli('history', '--json');
  assert.is(h.code, 0, h.stderr);
  return (JSON.parse(h.stdout) as Array<Record<string, unknown>>).reverse();
}

// ------------------------------------------------------------------ blind (baresip)

test('blind transfer: B (baresip) REFERs A to Carol\'s main extension; C rings presented as Alice, answers; B hangs up on NOTIFY 200; A is told Carol (RFC 3515, RFC 5589 §6.1)', async () => {
  const [aMark, bMark, cMark, trace] = [A.mark(), B.mark(), C.mark(), B.output.length];
  assert.ok((await A.command('dial', `sip:2001@127.0.0.1:${sw.sipPort}`)).ok);
  await A.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, aMark);
  const talking = Date.now();
  await sleep(2500);
  const referredAt = Date.now();
  const r = await B.command('transfer', `sip:3000@127.0.0.1:${sw.sipPort}`);
  assert.ok(r.ok, r.data);
  // C answers by itself (answermode=auto: no CALL_INCOMING); the event names the caller.
  const answered = await C.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, cMark);
  assert.is(answered.param, 'sip:1000@pbx.local', 'Carol sees Alice calling, not Bob');
  const transferredAt = Date.now();
  const closed = await B.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, bMark);
  assert.match(String(closed.param), /transfer/i, `B's own account of its call's end: ${closed.param}`);

  const refer = await cap.waitFor(request('REFER', sw.sipPort, referredAt - 50), 5000, 'REFER from B');
  assert.is(refer.srcPort, B.sipPort);
  const accepted = await cap.waitFor((m) => m.method === 'REFER' && m.status !== undefined && m.srcPort === sw.sipPort && m.time >= refer.time, 5000, 'REFER response');
  assert.is(accepted.status, 202);
  const invite = await cap.waitFor(request('INVITE', C.sipPort, referredAt - 50), 5000, 'INVITE to C');
  assert.equal(cap.header(invite, 'P-Asserted-Identity'), ['"Alice" <sip:1000@pbx.local>']);
  assert.equal(cap.header(invite, 'Referred-By'), ['"Bob" <sip:2000@pbx.local>'], 'RFC 3892');
  assert.equal(await identityUpdateTo(A.sipPort, referredAt - 50), ['"Carol" <sip:3000@pbx.local>'], "Alice's phone is told she talks to Carol (RFC 3325)");
  const notifies = await cap.all(request('NOTIFY', B.sipPort, referredAt - 50));
  assert.ok(notifies.length >= 2, `NOTIFYs to B: ${cap.summary()}`);
  assert.ok(notifies.every((n) => cap.header(n, 'Event')[0]?.startsWith('refer')));
  assert.match(cap.header(notifies.at(-1)!, 'Subscription-State')[0] ?? '', /^terminated/);
  const frags = notifyFrags(B.output.slice(trace));
  assert.is(frags[0], 'SIP/2.0 100 Trying', `NOTIFY bodies B traced: ${JSON.stringify(frags)}`);
  assert.is(frags.at(-1), 'SIP/2.0 200 OK');

  const [call] = await liveCalls();
  assert.equal([call?.state, call?.caller.number, call?.callee.answeredBy, call?.legs.map((l) => l.device)], ['answered', '1000', '3001', ['1001', '3001']]);

  await sleep(3000);
  const heardByA = readWav(A.latestRecording()!);
  const heardByC = readWav(C.latestRecording()!);
  const tones = { A: TONE.A, B: TONE.B, C: TONE.C };
  // Times are counted back from the end of the recording (now): when it started is baresip's business.
  const at = (t: number, pcm: Pcm) => seconds(pcm) - (Date.now() - t) / 1000;
  const beforeA = slice(heardByA, at(talking, heardByA) + 0.5, at(referredAt, heardByA) - 0.2);
  const afterA = slice(heardByA, at(transferredAt, heardByA) + 1, seconds(heardByA));
  assert.ok(toneFraction(beforeA, TONE.B) > 0.8, `A heard B before the transfer: ${describeTones(beforeA, tones)}`);
  assert.ok(toneFraction(afterA, TONE.C) > 0.8, `A hears C after it: ${describeTones(afterA, tones)}`);
  assert.ok(toneFraction(afterA, TONE.B) === 0, `and no longer B: ${describeTones(afterA, tones)}`);
  const c = slice(heardByC, 0.5, seconds(heardByC));
  assert.ok(toneFraction(c, TONE.A) > 0.8, `C hears A: ${describeTones(c, tones)}`);
  assert.ok(toneFraction(c, TONE.B) === 0, `C never hears B: ${describeTones(c, tones)}`);

  const cClosed = C.mark();
  assert.ok((await A.command('hangup')).ok);
  await C.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, cClosed);
  await until('no live call', async () => ((await liveCalls()).length === 0 ? true : undefined), 5000);
  const rows = await history();
  assert.equal(
    rows.slice(-2).map((x) => [x['callerDevice'], x['dialled'], x['answeredBy'], x['disposition'], x['endReason']]),
    [
      ['1001', '2001', '2001', 'answered', 'transferred to 3000 by 2000'],
      ['1001', '3000', '3001', 'answered', 'caller hung up'],
    ],
  );
});

test('blind transfer to an unknown number, by linphonec: NOTIFY 404, the call goes on as before - L still talks to A and they hear each other', async () => {
  const [aMark, lMark] = [A.mark(), L.output.length];
  assert.ok((await A.command('dial', `sip:2002@127.0.0.1:${sw.sipPort}`)).ok);
  const id = await L.waitOutput(/Receiving new incoming call from "Alice" <sip:1000@pbx\.local>, assigned id (\d+)/, 10_000, lMark);
  L.send('answer');
  await A.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, aMark);
  await sleep(1000);
  const referredAt = Date.now();
  L.send(`transfer ${id[1]} sip:9999@127.0.0.1:${sw.sipPort}`);
  const notifies = await until('two NOTIFYs to L', async () => {
    const n = await cap.all(request('NOTIFY', L.sipPort, referredAt - 50), 100);
    return n.length >= 2 ? n : undefined;
  });
  assert.equal(notifies.map((n) => cap.header(n, 'Subscription-State')[0]?.split(';')[0]), ['active', 'terminated']);
  await sleep(2500);
  const mark = L.output.length;
  L.send('calls');
  await L.waitOutput(/"Alice" <sip:1000@pbx\.local>\s*\|\s*StreamsRunning/, 5000, mark);
  const [call] = await liveCalls();
  assert.equal([call?.state, call?.legs.map((l) => l.device)], ['answered', ['1001', '2002']]);
  const heardByA = readWav(A.latestRecording()!);
  const end = slice(heardByA, seconds(heardByA) - 1.5, seconds(heardByA));
  assert.ok(toneFraction(end, TONE.L) > 0.8, `A still hears L: ${describeTones(end, { A: TONE.A, L: TONE.L })}`);
  const closed = A.mark();
  L.send('terminate');
  await A.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, closed);
  const rows = await history();
  assert.equal(rows.slice(-2).map((x) => [x['dialled'], x['disposition'], x['endReason']]), [
    ['2002', 'answered', 'callee hung up'],
    ['9999', 'failed', '404 unknown number'],
  ]);
});

test('blind transfer to an unknown number, by baresip: B traces NOTIFY 100 then 404 and reports the failure (baresip 1.0 then hangs up by itself)', async () => {
  const [aMark, bMark, trace] = [A.mark(), B.mark(), B.output.length];
  assert.ok((await A.command('dial', `sip:2001@127.0.0.1:${sw.sipPort}`)).ok);
  await A.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, aMark);
  await sleep(1000);
  assert.ok((await B.command('transfer', `sip:9999@127.0.0.1:${sw.sipPort}`)).ok);
  const failed = await B.waitEvent((e) => e.type === 'TRANSFER_FAILED', 10_000, bMark);
  assert.is(failed.param, '404 Not Found');
  assert.equal(notifyFrags(B.output.slice(trace)), ['SIP/2.0 100 Trying', 'SIP/2.0 404 Not Found']);
  await A.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, aMark); // baresip's menu hangs up a call whose transfer failed
  const rows = await history();
  assert.is(rows.at(-2)!['endReason'], 'callee hung up', 'the switch did not end it: B did');
});

// ------------------------------------------------------------------ attended (linphonec)

test('attended transfer: L (linphonec) pauses A, calls Carol, then `transfer 1 --to-call 2` (REFER with Replaces, RFC 3891): A and C are joined, hear and see each other', async () => {
  const [aMark, cMark, lMark] = [A.mark(), C.mark(), L.output.length];
  assert.ok((await A.command('dial', `sip:2002@127.0.0.1:${sw.sipPort}`)).ok);
  const first = await L.waitOutput(/Receiving new incoming call from "Alice" <sip:1000@pbx\.local>, assigned id (\d+)/, 10_000, lMark);
  L.send('answer');
  await A.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, aMark);
  await sleep(1000);
  L.send(`pause ${first[1]}`);
  await L.waitOutput(/is now paused/, 5000, lMark);
  L.send(`call sip:3000@127.0.0.1:${sw.sipPort}`);
  const second = await L.waitOutput(/Establishing call id to sip:3000@[^,]*, assigned id (\d+)/, 5000, lMark);
  const answered = await C.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000, cMark);
  assert.is(answered.param, 'sip:2000@pbx.local', 'the consultation call is from Bob');
  await sleep(1500);
  const consulting = await liveCalls();
  assert.is(consulting.length, 2);
  const referredAt = Date.now();
  L.send(`transfer ${first[1]} --to-call ${second[1]}`);
  await L.waitOutput(/has been transfered/, 10_000, lMark);
  await until('one call left', async () => ((await liveCalls()).length === 1 ? true : undefined), 5000);
  await L.waitOutput(new RegExp(`Call ${second[1]} with [^\\n]* ended`), 10_000, lMark);
  await L.waitOutput(new RegExp(`Call ${first[1]} with [^\\n]* ended`), 10_000, lMark);
  const joinedAt = Date.now();

  const refer = await cap.waitFor(request('REFER', sw.sipPort, referredAt - 50), 5000, 'REFER from L');
  assert.is(refer.srcPort, L.sipPort);
  assert.match(cap.header(refer, 'Refer-To')[0] ?? '', /\?Replaces=/i, 'attended: Refer-To carries Replaces');
  const reinvite = await cap.waitFor(request('INVITE', C.sipPort, referredAt - 50), 5000, 're-INVITE to C');
  assert.equal(cap.header(reinvite, 'P-Asserted-Identity'), ['"Alice" <sip:1000@pbx.local>'], 'Carol is told she talks to Alice');
  assert.equal(await identityUpdateTo(A.sipPort, referredAt - 50), ['"Carol" <sip:3000@pbx.local>'], 'Alice is told she talks to Carol');
  const [call] = await liveCalls();
  assert.equal([call?.state, call?.caller.number, call?.callee.answeredBy, call?.legs.map((l) => l.device)], ['answered', '1000', '3001', ['1001', '3001']]);

  await sleep(3500);
  const heardByA = readWav(A.latestRecording()!);
  const heardByC = readWav(C.latestRecording()!);
  const tones = { A: TONE.A, L: TONE.L, C: TONE.C };
  const lastA = slice(heardByA, seconds(heardByA) - (Date.now() - joinedAt) / 1000 + 1, seconds(heardByA));
  const lastC = slice(heardByC, seconds(heardByC) - (Date.now() - joinedAt) / 1000 + 1, seconds(heardByC));
  assert.ok(toneFraction(lastA, TONE.C) > 0.8, `A hears C: ${describeTones(lastA, tones)}`);
  assert.ok(toneFraction(lastA, TONE.L) === 0, `not L: ${describeTones(lastA, tones)}`);
  assert.ok(toneFraction(lastC, TONE.A) > 0.8, `C hears A: ${describeTones(lastC, tones)}`);
  assert.ok(toneFraction(lastC, TONE.L) === 0, `not L: ${describeTones(lastC, tones)}`);

  const aClosed = A.mark();
  assert.ok((await C.command('hangup')).ok);
  await A.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, aClosed);
  const rows = await history();
  assert.equal(
    rows.slice(-3).map((x) => [x['callerDevice'], x['dialled'], x['answeredBy'], x['endReason']]),
    [
      ['1001', '2002', '2002', 'transferred to 3000 by 2000 (attended)'],
      ['2002', '3000', '3001', 'transferred to 1000 by 2000 (attended)'],
      ['1001', '3000', '3001', 'callee hung up'],
    ],
  );
});

test.run();
