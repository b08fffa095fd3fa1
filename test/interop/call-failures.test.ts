// Calls that fail, driven by SIPp through the real switch while a long call with RTP both
// ways is in progress (issue 3, "Done means": "SIPp scenarios cover busy, no answer,
// cancel, 488 and a malformed SDP; none of them disturbs calls in progress").
//
//   long call   SIPp 1001 (streams a tone) -> 7000 -> SIPp 7001 (echoes RTP), 30 s
//   busy        SIPp 1002 -> 4000 -> SIPp 4001 answers 486          => 486, history busy
//   no answer   SIPp 1002 -> 5000 -> SIPp 5001 + 5002 ring          => 480 after calls.ringTimeout (3 s),
//                                                                      CANCEL without Reason to both, missed
//   cancel      SIPp 1002 -> 5000 -> 5001 + 5002 ring, caller CANCEL => 487 to the caller, CANCEL without
//                                                                      Reason to both forks, missed
//   488         SIPp 1002 offers only G.729                         => 488 before anything rings
//   400         SIPp 1002 offers a malformed SDP                    => 400 before anything rings
//   404         SIPp 1002 dials a number nobody has                 => 404
//
// Between scenarios the long call's packet counters (`softswitch calls --json`) must keep
// growing on both legs; at the end it hangs up cleanly (both SIPp report success) and the
// history has every call with the right disposition and missed flags.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { provision, secretFor } from '../support/provision.js';
import { SipCapture, type CapturedSip } from '../support/sip-capture.js';
import { authRows, runSipp, scenarioPath, type SippResult } from '../support/sipp.js';
import { startSwitchProcess, type SwitchProcess } from '../support/switch-process.js';
import { sleep } from '../support/waiting.js';

interface LegJson {
  role: string;
  device: string | null;
  packetsIn: number;
  packetsOut: number;
  lost: number;
}
interface CallJson {
  id: string;
  state: string;
  dialled: string;
  legs: LegJson[];
}
interface HistoryRow {
  id: string;
  callerDevice: string | null;
  dialled: string;
  calleeUser: string | null;
  answeredBy: string | null;
  disposition: string;
  endReason: string | null;
  missedBy: string[];
}

const RING_TIMEOUT_S = 3;
const LONG_CALL_MS = 30_000;

let sw: SwitchProcess;
let cap: SipCapture;
let dir: string;
/** SIP port of each registered SIPp device. */
const port: Record<string, number> = {};
let longCall: Promise<[SippResult, SippResult]>;
let longCallId = '';
let lastCounts: number[] = [];

test.before(async () => {
  try {
    sw = await startSwitchProcess({ log: { level: 'info', pretty: false }, calls: { ringTimeout: RING_TIMEOUT_S } });
    provision(sw.dir, [
      { ext: '1000', name: 'Alice', devices: ['1001', '1002'], authAlgorithms: ['MD5'], primary: null },
      { ext: '4000', name: 'Dave', devices: ['4001'], authAlgorithms: ['MD5'], primary: null },
      { ext: '5000', name: 'Erin', devices: ['5001', '5002'], authAlgorithms: ['MD5'], primary: null },
      { ext: '6000', name: 'Frank', devices: ['6001'], authAlgorithms: ['MD5'], primary: null },
      { ext: '7000', name: 'Grace', devices: ['7001'], authAlgorithms: ['MD5'], primary: null },
    ]);
    cap = await SipCapture.start([sw.sipPort]);
    dir = mkdtempSync(join(tmpdir(), 'call-failures-'));
    for (const ext of ['4001', '5001', '5002', '6001', '7001']) {
      port[ext] = await freePort();
      const r = await runSipp({ scenario: scenarioPath('register-digest.xml'), target: target(), rows: authRows([ext], secretFor), calls: 1, localPort: port[ext], keys: { expires: 3600 } });
      assert.is(r.code, 0, `REGISTER ${ext}: ${r.output}\n${r.errors}`);
    }
  } catch (err) {
    console.error(err); // uvu does not report errors thrown in hooks
    throw err;
  }
});

test.after(async () => {
  await cap?.stop();
  await sw?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const target = (): string => `127.0.0.1:${sw.sipPort}`;

async function liveCalls(): Promise<CallJson[]> {
  const r = await sw.cli('calls', '--json');
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as CallJson[];
}

async function history(...args: string[]): Promise<HistoryRow[]> {
  await sleep(300); // written behind every 100 ms
  const r = await sw.cli('history', '--json', ...args);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as HistoryRow[];
}

/** A copy of a scenario with [placeholders] written in (SIPp expands -key only inside messages). */
function scenarioCopy(name: string, values: Record<string, string>): string {
  let xml = readFileSync(scenarioPath(name), 'utf8');
  for (const [k, v] of Object.entries(values)) xml = xml.replaceAll(`[${k}]`, v);
  const file = join(dir, `${Object.values(values).join('-').replace(/[^\w-]/g, '').slice(0, 40)}-${name}`);
  writeFileSync(file, xml);
  return file;
}

/** Alice's second device (1002) calls `dialled` with `scenario`. */
async function caller(scenario: string, dialled: string, extra: string[] = []): Promise<SippResult> {
  return runSipp({
    scenario,
    target: target(),
    rows: authRows(['1002'], secretFor).map((r) => `${r};${dialled}`),
    calls: 1,
    localPort: await freePort(),
    timeoutMs: 30_000,
    extraArgs: ['-auth_uri', `${dialled}@pbx.local`, '-mp', String(await freePort(41000, 41999)), ...extra],
  });
}

/** A registered SIPp device answering one call with `scenario` from its registered port. */
function device(ext: string, scenario: string): Promise<SippResult> {
  return runSipp({ scenario: scenarioPath(scenario), target: target(), calls: 1, localPort: port[ext], timeoutMs: 30_000 });
}

const ok = (r: SippResult, who: string): void => assert.is(r.code, 0, `${who}: ${r.output}\n${r.errors}`);

/** The long call's legs both received more packets since the last look. */
async function longCallKeepsFlowing(when: string): Promise<void> {
  const call = (await liveCalls()).find((c) => c.id === longCallId);
  assert.ok(call, `the long call is still up ${when}`);
  assert.is(call!.state, 'answered', when);
  const counts = call!.legs.flatMap((l) => [l.packetsIn, l.packetsOut]);
  counts.forEach((n, i) => assert.ok(n > (lastCounts[i] ?? 0), `long call packets grow ${when}: ${JSON.stringify(call!.legs)} was ${JSON.stringify(lastCounts)}`));
  for (const l of call!.legs) assert.is(l.lost, 0, `no loss on the long call ${when}: ${JSON.stringify(call!.legs)}`);
  lastCounts = counts;
}

/** CANCEL requests the switch sent to `ext`'s SIPp since `from` (capture index). */
const cancelsTo = (ext: string, from: number): CapturedSip[] =>
  cap.messages.slice(from).filter((m) => m.dstPort === port[ext] && m.method === 'CANCEL' && m.status === undefined);

test('a long call with RTP both ways is up (SIPp 1001 streams a tone, SIPp 7001 echoes it)', async () => {
  const media = join(dir, 'tone.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', media, 'synth', '10', 'sine', '701.3']);
  const uac = scenarioCopy('call-uac-digest.xml', { wav: media, hold: String(LONG_CALL_MS) });
  const uas = runSipp({ scenario: scenarioPath('call-uas.xml'), target: target(), calls: 1, localPort: port['7001'], timeoutMs: LONG_CALL_MS + 30_000, extraArgs: ['-rtp_echo', '-mp', String(await freePort(41000, 41999))] });
  await sleep(500); // SIPp binds its port
  const a = runSipp({
    scenario: uac,
    target: target(),
    rows: authRows(['1001'], secretFor).map((r) => `${r};7000`),
    calls: 1,
    localPort: await freePort(),
    timeoutMs: LONG_CALL_MS + 30_000,
    extraArgs: ['-auth_uri', '7000@pbx.local'],
  });
  longCall = Promise.all([a, uas]);
  for (let i = 0; i < 50 && !longCallId; i++) {
    await sleep(200);
    const c = (await liveCalls()).find((x) => x.dialled === '7000' && x.legs.every((l) => l.packetsIn > 10));
    if (c) longCallId = c.id;
  }
  assert.ok(longCallId, `the long call carries RTP both ways: ${JSON.stringify(await liveCalls())}`);
  await longCallKeepsFlowing('at the start');
});

test('busy: the only device answers 486, the caller gets 486 Busy Here; history says busy, not missed', async () => {
  const from = await cap.mark();
  const dev = device('4001', 'call-uas-busy.xml');
  await sleep(500);
  const r = await caller(scenarioCopy('call-uac-refused.xml', { status: '486', media: SDP.pcmu }), '4000');
  ok(r, 'caller expecting 486');
  ok(await dev, 'busy device');
  await cap.mark(); // everything captured
  // The caller's ACK matched the INVITE transaction (same branch): the 486 was not retransmitted.
  const busy = await cap.all((m) => m.srcPort === sw.sipPort && m.status === 486);
  assert.is(busy.length, 1, `one 486 to the caller, acknowledged: ${cap.summary()}`);
  const [row] = await history('--limit', '1');
  assert.equal([row!.dialled, row!.disposition, row!.answeredBy, row!.missedBy], ['4000', 'busy', null, []]);
  assert.ok(cap.messages.slice(from).some((m) => m.dstPort === port['4001'] && m.method === 'ACK'), 'the switch acknowledged the device 486');
  await longCallKeepsFlowing('after the busy call');
});

test(`no answer: both of Erin's devices ring until calls.ringTimeout (${RING_TIMEOUT_S} s), both get CANCEL without Reason, the caller gets 480; a missed call for Erin`, async () => {
  const from = await cap.mark();
  const devs = Promise.all([device('5001', 'call-uas-ring.xml'), device('5002', 'call-uas-ring.xml')]);
  await sleep(500);
  const t0 = Date.now();
  const r = await caller(scenarioCopy('call-uac-refused.xml', { status: '480', media: SDP.pcmu }), '5000');
  const took = Date.now() - t0;
  ok(r, 'caller expecting 480');
  const [d1, d2] = await devs;
  ok(d1, 'device 5001');
  ok(d2, 'device 5002');
  await cap.mark(); // everything captured
  assert.ok(took >= RING_TIMEOUT_S * 1000, `480 came after the ring timeout, not before (${took} ms)`);
  for (const ext of ['5001', '5002']) {
    const c = cancelsTo(ext, from);
    assert.is(c.length, 1, `one CANCEL to ${ext}: ${cap.summary()}`);
    assert.equal(cap.header(c[0]!, 'Reason'), [], `no Reason on the CANCEL to ${ext}: nobody answered elsewhere`);
  }
  const [row] = await history('--limit', '1');
  assert.equal([row!.dialled, row!.disposition, row!.answeredBy, row!.missedBy], ['5000', 'no-answer', null, ['5000']]);
  await longCallKeepsFlowing('after the unanswered call');
});

test('caller cancels: 487 to the caller, CANCEL without Reason to every fork (RFC 3261 §9.1), a missed call in `history --missed`', async () => {
  const from = await cap.mark();
  const devs = Promise.all([device('5001', 'call-uas-ring.xml'), device('5002', 'call-uas-ring.xml')]);
  await sleep(500);
  const r = await caller(scenarioCopy('call-uac-cancel.xml', { ring: '1000' }), '5000');
  ok(r, 'cancelling caller');
  const [d1, d2] = await devs;
  ok(d1, 'device 5001');
  ok(d2, 'device 5002');
  await cap.mark(); // everything captured
  for (const ext of ['5001', '5002']) {
    const c = cancelsTo(ext, from);
    assert.is(c.length, 1, `one CANCEL to ${ext}: ${cap.summary()}`);
    assert.equal(cap.header(c[0]!, 'Reason'), [], `no Reason on the CANCEL to ${ext}`);
  }
  const to487 = cap.messages.slice(from).filter((m) => m.srcPort === sw.sipPort && m.status === 487 && m.dstPort !== port['5001'] && m.dstPort !== port['5002']);
  assert.is(to487.length, 1, `one 487 to the caller: ${cap.summary()}`);
  const [row] = await history('--limit', '1');
  assert.equal([row!.dialled, row!.disposition, row!.answeredBy, row!.missedBy], ['5000', 'cancelled', null, ['5000']]);
  const missed = await history('--missed', '--user', '5000');
  assert.equal(
    missed.map((m) => m.disposition),
    ['cancelled', 'no-answer'],
    'both missed calls are listed for Erin, newest first',
  );
  await longCallKeepsFlowing('after the cancelled call');
});

test('488: an offer with only an unsupported codec (G.729) is refused before anything rings', async () => {
  const from = await cap.mark();
  const r = await caller(scenarioCopy('call-uac-refused.xml', { status: '488', media: SDP.g729 }), '6000');
  ok(r, 'caller expecting 488');
  await cap.mark(); // everything captured
  assert.ok(!cap.messages.slice(from).some((m) => m.dstPort === port['6001']), "Frank's device never saw an INVITE");
  const [row] = await history('--limit', '1');
  assert.equal([row!.dialled, row!.disposition, row!.missedBy], ['6000', 'failed', []]);
  await longCallKeepsFlowing('after the 488');
});

test('400: a malformed SDP offer is refused before anything rings', async () => {
  const from = await cap.mark();
  const r = await caller(scenarioCopy('call-uac-refused.xml', { status: '400', media: SDP.malformed }), '6000');
  ok(r, 'caller expecting 400');
  await cap.mark(); // everything captured
  assert.ok(!cap.messages.slice(from).some((m) => m.dstPort === port['6001']), "Frank's device never saw an INVITE");
  await longCallKeepsFlowing('after the 400');
});

test('404: a number nobody has', async () => {
  const r = await caller(scenarioCopy('call-uac-refused.xml', { status: '404', media: SDP.pcmu }), '8999');
  ok(r, 'caller expecting 404');
  await longCallKeepsFlowing('after the 404');
});

test('the long call ends cleanly after all of them: both SIPp succeed, no call left, history answered by 7001', async () => {
  const [a, b] = await longCall;
  ok(a, 'long call caller (BYE answered 200)');
  ok(b, 'long call callee (BYE received)');
  assert.equal(await liveCalls(), []);
  const rows = await history();
  const long = rows.find((r) => r.id === longCallId);
  assert.ok(long, 'the long call is in the history');
  assert.equal([long!.disposition, long!.answeredBy, long!.endReason, long!.missedBy], ['answered', '7001', 'caller hung up', []]);
  // Every call of this file, oldest first.
  assert.equal(
    rows.reverse().map((r) => [r.dialled, r.disposition]),
    [
      ['7000', 'answered'],
      ['4000', 'busy'],
      ['5000', 'no-answer'],
      ['5000', 'cancelled'],
      ['6000', 'failed'],
      ['6000', 'failed'],
      ['8999', 'failed'],
    ],
  );
  const missed = await history('--missed');
  assert.equal(missed.map((r) => [r.dialled, r.disposition]), [['5000', 'cancelled'], ['5000', 'no-answer']]);
});

test('every final error response was acknowledged at once: none retransmitted (RFC 3261 §17.2.1, Timer G)', async () => {
  await cap.mark();
  const finals = cap.messages.filter((m) => m.srcPort === sw.sipPort && m.status !== undefined && m.status >= 300);
  const seen = new Map<string, number>();
  for (const m of finals) {
    const key = `${cap.header(m, 'Call-ID')[0]} ${cap.header(m, 'CSeq')[0]} ${m.status}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  assert.ok(finals.length >= 12, `407s and refusals were captured: ${finals.length}`);
  const repeated = [...seen].filter(([, n]) => n > 1);
  assert.equal(repeated, [], 'no final response sent twice');
});

/** The SDP media lines of the offers (after the session lines the scenario writes). */
const SDP = {
  pcmu: ['m=audio [media_port] RTP/AVP 0', 'a=rtpmap:0 PCMU/8000'].map((l) => `      ${l}`).join('\n'),
  g729: ['m=audio [media_port] RTP/AVP 18', 'a=rtpmap:18 G729/8000', 'a=fmtp:18 annexb=no'].map((l) => `      ${l}`).join('\n'),
  // RFC 4566 §5.14: the port must be a number.
  malformed: ['m=audio notaport RTP/AVP 0', 'a=rtpmap:0 PCMU/8000'].map((l) => `      ${l}`).join('\n'),
};

test.run();
