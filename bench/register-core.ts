// Cost of one REGISTER through the sans-IO REGISTER pipeline (throttle check, Digest, registrar,
// response built), parse and serialization excluded, with the in-memory BindingStore and with
// the real SQLite store (openStore(tmpdir).registrations). Prints a table and writes
// bench/results/register-core.json. Not a test: figures depend on the machine.
//
//   npx tsc -p . && node dist/bench/register-core.js [--rounds 7] [--batch 4000] [--phones 500] [--only memory|sqlite]
//
// Every timed request is a fresh parsed message (typed-header caches cold, as off the wire),
// with a nonce count and CSeq that really advance: replay protection and §10.3 ordering are
// exercised, never short-circuited. Requests are prepared (and parsed) outside the timing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CredentialLookup } from '../src/sip/auth/digest-authenticator.js';
import { answerChallenge, pickChallenge } from '../src/sip/auth/digest-client.js';
import { challenges } from '../src/sip/headers/auth.js';
import type { SipRequest, SipResponse } from '../src/sip/message.js';
import { parseMessage } from '../src/sip/parser.js';
import type { BindingStore } from '../src/sip/registrar/binding-store.js';
import { BufferedBindingStore } from '../src/sip/registrar/buffered-binding-store.js';
import { MemoryBindingStore } from '../src/sip/registrar/memory-binding-store.js';
import { RegisterPipeline } from '../src/sip/registrar/register-pipeline.js';
import { serializeMessage } from '../src/sip/serializer.js';
import type { Flow } from '../src/sip/transport/flow.js';
import { openStore, type Store } from '../src/store/store.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const ROUNDS = arg('--rounds', 7);
const BATCH = arg('--batch', 4000);
const PHONES = arg('--phones', 500);
const T0 = 1_700_000_000_000;

const flowOf = (i: number): Flow => ({ protocol: 'udp', remoteAddress: `10.${(i >> 8) & 255}.${i & 255}.7`, remotePort: 5060, localAddress: '192.0.2.1', localPort: 5060 });
const ext = (i: number) => String(10000 + i);
const secret = (i: number) => `secret-${i}-Xq8w`;

function registerText(i: number, cseq: number, authorization?: string): Buffer {
  const e = ext(i);
  const lines = [
    'REGISTER sip:pbx.local SIP/2.0',
    `Via: SIP/2.0/UDP 10.${(i >> 8) & 255}.${i & 255}.7:5060;rport;branch=z9hG4bK.${i}.${cseq}`,
    'Max-Forwards: 70',
    `From: <sip:${e}@pbx.local>;tag=f${i}`,
    `To: <sip:${e}@pbx.local>`,
    `Call-ID: reg-${i}@10.0.0.7`,
    `CSeq: ${cseq} REGISTER`,
    `Contact: <sip:${e}@10.${(i >> 8) & 255}.${i & 255}.7:5060;transport=udp>;+sip.instance="<urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}>";expires=3600`,
    'Expires: 3600',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE',
    'Supported: replaces, outbound, path',
    'User-Agent: Linphone-Desktop/5.2.6 (belle-sip/5.2.98)',
  ];
  if (authorization) lines.push(`Authorization: ${authorization}`);
  lines.push('Content-Length: 0', '', '');
  return Buffer.from(lines.join('\r\n'));
}

function parse(buf: Buffer): SipRequest {
  const r = parseMessage(buf);
  if (!r.ok || r.message.kind !== 'request') throw new Error('bench request does not parse');
  return r.message;
}

interface Setup {
  name: string;
  pipeline: RegisterPipeline;
  close: () => void;
  /** Write-behind flush, timed with the requests (once per STEP of them). */
  flush?: () => void;
}

function pipelineOn(store: BindingStore, lookup: CredentialLookup, algorithms: Array<'MD5' | 'SHA-256'>, now: () => number): RegisterPipeline {
  return new RegisterPipeline({
    domain: 'pbx.local',
    auth: { algorithms, nonceLifetime: 86400 },
    // The bench's phones sit in 10/8, trusted: the failure rows below must not get blocked.
    security: { maxAuthFailures: 5, failureWindow: 60, blockTime: 300, trustedNetworks: ['10.0.0.0/8'] },
    registrar: { minExpires: 60, maxExpires: 3600, defaultExpires: 3600 },
    lookup,
    store,
    clock: { now },
  });
}

let clockNow = T0;
const memoryLookup = (u: string) => {
  const i = Number(u) - 10000;
  return i >= 0 && i < PHONES ? { secret: secret(i), enabled: true } : undefined;
};

function memorySetup(algorithm: 'MD5' | 'SHA-256'): Setup {
  return { name: `memory store, ${algorithm}`, pipeline: pipelineOn(new MemoryBindingStore(), memoryLookup, [algorithm], () => clockNow), close: () => {} };
}

function sqliteStore(): { store: Store; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'softswitch-bench-'));
  const store: Store = openStore(dir);
  store.transaction(() => {
    for (let i = 0; i < PHONES; i++) {
      const u = store.users.insert({ ext: ext(i), name: `User ${i}`, callerId: null, mobile: null }, T0);
      store.devices.insert({ userId: u.id, ext: ext(i), secret: secret(i), model: null, mac: null, enabled: true }, T0);
    }
  });
  return { store, dir };
}

function bufferedSetup(algorithm: 'MD5' | 'SHA-256'): Setup {
  const { store, dir } = sqliteStore();
  const buffered = new BufferedBindingStore(store.registrations, (e) => { throw e; });
  const pipeline = pipelineOn(buffered, (u) => store.devices.findForAuth(u), [algorithm], () => clockNow);
  return {
    name: `SQLite write-behind (flush per ${STEP}), ${algorithm}`,
    pipeline,
    flush: () => void buffered.flush(),
    close: () => { store.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

function sqliteSetup(algorithm: 'MD5' | 'SHA-256'): Setup {
  const { store, dir } = sqliteStore();
  const pipeline = pipelineOn(store.registrations, (u) => store.devices.findForAuth(u), [algorithm], () => clockNow);
  return { name: `SQLite store, ${algorithm}`, pipeline, close: () => { store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Per phone: the challenge it answers and how far its nc and CSeq have come. */
interface PhoneState { challenge: string; nc: number; cseq: number }

function enrol(s: Setup): PhoneState[] {
  const phones: PhoneState[] = [];
  for (let i = 0; i < PHONES; i++) {
    const res = s.pipeline.handleRegister(parse(registerText(i, 1)), flowOf(i), clockNow).response;
    const ch = pickChallenge(challenges(res))!;
    phones.push({ challenge: formatBack(ch), nc: 0, cseq: 1 });
  }
  return phones;
}

function formatBack(ch: ReturnType<typeof pickChallenge>): string {
  const p = ch!.params;
  return `Digest realm="${p.get('realm')}", nonce="${p.get('nonce')}", opaque="${p.get('opaque')}", algorithm=${p.get('algorithm')}, qop="auth"`;
}

function authedBatch(phones: PhoneState[], n: number): Array<{ req: SipRequest; flow: Flow }> {
  const out: Array<{ req: SipRequest; flow: Flow }> = [];
  for (let k = 0; k < n; k++) {
    const i = k % phones.length;
    const ph = phones[i]!;
    ph.nc++;
    ph.cseq++;
    const authorization = answerChallenge(ph.challenge, { username: ext(i), password: secret(i), method: 'REGISTER', uri: 'sip:pbx.local', nc: ph.nc, cnonce: `c${i}` });
    out.push({ req: parse(registerText(i, ph.cseq, authorization)), flow: flowOf(i) });
  }
  return out;
}

/** Credentials with a wrong password for a known user, or for a username nobody has. */
function failingBatch(phones: PhoneState[], unknown: boolean): (n: number) => Array<{ req: SipRequest; flow: Flow }> {
  return (n) => {
    const out: Array<{ req: SipRequest; flow: Flow }> = [];
    for (let k = 0; k < n; k++) {
      const i = k % phones.length;
      const username = unknown ? String(90000 + i) : ext(i);
      const authorization = answerChallenge(phones[i]!.challenge, { username, password: 'guess', method: 'REGISTER', uri: 'sip:pbx.local', nc: 1, cnonce: `c${i}` });
      out.push({ req: parse(registerText(i, 99, authorization)), flow: flowOf(i) });
    }
    return out;
  };
}

function plainBatch(n: number): Array<{ req: SipRequest; flow: Flow }> {
  const out: Array<{ req: SipRequest; flow: Flow }> = [];
  for (let k = 0; k < n; k++) out.push({ req: parse(registerText(k % PHONES, 1)), flow: flowOf(k % PHONES) });
  return out;
}

interface Sample { wallNs: number; cpuNs: number }

/** Requests prepared per step: small, so they die young as on a server (no old-generation GC artefact). */
const STEP = 100;

/**
 * Wall and process CPU time per request over `total` requests, prepared STEP at a time
 * outside the timed sections.
 */
function time(make: (n: number) => Array<{ req: SipRequest; flow: Flow }>, total: number, s: Setup, expect: number, sink: SipResponse[]): Sample {
  const pipeline = s.pipeline;
  let wall = 0;
  let cpu = 0;
  for (let done = 0; done < total; done += STEP) {
    const batch = make(STEP);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (const { req, flow } of batch) {
      clockNow += 1;
      sink[0] = pipeline.handleRegister(req, flow, clockNow).response;
    }
    s.flush?.();
    wall += Number(process.hrtime.bigint() - t0);
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) * 1000;
    if (sink[0]!.status !== expect) throw new Error(`expected ${expect}, got ${sink[0]!.status} ${sink[0]!.reason}`);
  }
  return { wallNs: wall / total, cpuNs: cpu / total };
}

interface Row { case: string; wallNs: number; cpuNs: number; minWallNs: number }

function summarise(name: string, samples: Sample[]): Row {
  const w = samples.map((s) => s.wallNs).sort((a, b) => a - b);
  const c = samples.map((s) => s.cpuNs).sort((a, b) => a - b);
  return { case: name, wallNs: w[w.length >> 1]!, cpuNs: c[c.length >> 1]!, minWallNs: w[0]! };
}

function main(): void {
  const rows: Row[] = [];
  const sink: SipResponse[] = [];
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const setups = [memorySetup, sqliteSetup, bufferedSetup].filter((m) => only === undefined || (only === 'memory') === (m === memorySetup));
  for (const make of setups) {
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      const s = make(algorithm);
      const phones = enrol(s);
      time((n) => authedBatch(phones, n), BATCH, s, 200, sink); // warm-up
      const authed: Sample[] = [];
      const challenged: Sample[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        authed.push(time((n) => authedBatch(phones, n), BATCH, s, 200, sink));
        challenged.push(time(plainBatch, BATCH, s, 401, sink));
      }
      rows.push(summarise(`${s.name}: authenticated REGISTER -> 200`, authed));
      rows.push(summarise(`${s.name}: REGISTER without credentials -> 401`, challenged));
      if (make === memorySetup) {
        const wrong: Sample[] = [];
        const unknown: Sample[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          wrong.push(time(failingBatch(phones, false), BATCH, s, 401, sink));
          unknown.push(time(failingBatch(phones, true), BATCH, s, 401, sink));
        }
        rows.push(summarise(`${s.name}: wrong password -> 401`, wrong));
        rows.push(summarise(`${s.name}: unknown user -> 401`, unknown));
      }
      s.close();
    }
  }
  // Serializing the 200 is the transport's work, shown for scale.
  const res = sink[0]!;
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < BATCH; k++) serializeMessage(res);
  const ser = Number(process.hrtime.bigint() - t0) / BATCH;
  rows.push({ case: 'for scale: serialize one such response', wallNs: ser, cpuNs: ser, minWallNs: ser });

  console.log(`REGISTER core (throttle + digest + registrar + response), node ${process.version}, ${PHONES} phones, median of ${ROUNDS} rounds x ${BATCH} requests, parse excluded`);
  console.table(rows.map((r) => ({ case: r.case, 'us/req (wall)': +(r.wallNs / 1000).toFixed(2), 'us/req (CPU)': +(r.cpuNs / 1000).toFixed(2), 'min us (wall)': +(r.minWallNs / 1000).toFixed(2) })));
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results', 'register-core.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ bench: 'register-core', node: process.version, date: new Date().toISOString(), phones: PHONES, rounds: ROUNDS, batch: BATCH,
    results: rows.map((r) => ({ case: r.case, usPerReqWall: r.wallNs / 1000, usPerReqCpu: r.cpuNs / 1000, minUsWall: r.minWallNs / 1000 })) }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

main();
