// The whole SIP stack in one process, without sockets: datagrams in, datagrams out, through
// SipStack (parse, received/rport, transactions), RequestRouter (RFC 3261 §8.2 checks) and
// RegistrationService (throttle, Digest, registrar, write-behind store on SQLite), exactly as
// `softswitch start` wires them; only the UDP sockets are replaced by an in-memory network.
// It measures what the switch's own code costs per request, so that a regression shows up
// without SIPp and without the kernel's share (bench/register.ts measures that end to end).
//
//   npx tsc -p . && node dist/bench/sip-stack.js [--devices 2000] [--rounds 10] [--warmup 3]
//
// One round, over every device:
//   challenge  REGISTER without credentials -> 401 (a fresh nonce)
//   refresh    5 REGISTERs with credentials in a row per phone (nc 1..5, as bench/register.ts's
//              refresh scenario and phones do) -> 200, bindings refreshed
//   options    OPTIONS -> 200: the floor every request pays (parse, checks, transaction)
// All datagrams of a phase are built before it is timed (the client's hashing is not ours).
// Reported per scenario, median over the measured rounds:
//   us/req     wall time of stack.receive per request, main thread (what a request delays others)
//   cpu us/req process CPU (user + system, all threads: GC helpers included) during the phase
// plus "refresh-mix" = (1 challenge + 5 refreshes) / 6, comparable to bench/register.ts's
// refresh row, and the heap after the last round (transactions keep their Completed state
// 32 s, Timer J, so the live set is what a loaded switch carries). Writes
// bench/results/sip-stack.json. Not a test: figures depend on the machine.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistrationService } from '../src/app/registration/registration-service.js';
import { RequestRouter } from '../src/app/request-router.js';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/log/logger.js';
import { answerChallenge } from '../src/sip/auth/digest-client.js';
import { SipStack, type StackNetwork } from '../src/sip/stack/sip-stack.js';
import type { Flow } from '../src/sip/transport/flow.js';
import type { InboundSink } from '../src/sip/transport/transport.js';
import { openStore } from '../src/store/store.js';
import { systemClock } from '../src/time/clock.js';
import { repoRoot } from '../test/support/paths.js';
import { provision, secretFor } from '../test/support/provision.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const DEVICES = arg('--devices', 2000);
const ROUNDS = arg('--rounds', 10);
const WARMUP = arg('--warmup', 3);
const DOMAIN = 'pbx.local';
const PHONE_PORT_BASE = 20000;
const YIELD_EVERY = 64;

/** The in-memory network: the stack's answers are kept, one slot per phone port. */
class LoopNetwork implements StackNetwork {
  sink: InboundSink | undefined;
  readonly last = new Map<number, Buffer>();
  sent = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  send(data: Buffer, flow: Flow): boolean {
    this.sent++;
    this.last.set(flow.remotePort, data);
    return true;
  }
  ports() {
    return { udp: 5060 };
  }
}

/** What SIPp sends (test/interop/sipp/register-refresh.xml), one phone per device. */
function register(ext: string, i: number, callId: string, cseq: number, branch: string, authorization?: string): Buffer {
  const port = PHONE_PORT_BASE + i;
  return Buffer.from(
    `REGISTER sip:${DOMAIN} SIP/2.0\r\n` +
      `Via: SIP/2.0/UDP 127.0.0.1:${port};rport;branch=${branch}\r\n` +
      `From: <sip:${ext}@${DOMAIN}>;tag=${i}SIPpTag${callId}\r\n` +
      `To: <sip:${ext}@${DOMAIN}>\r\n` +
      `Call-ID: ${callId}\r\n` +
      `CSeq: ${cseq} REGISTER\r\n` +
      `Contact: <sip:${ext}@127.0.0.1:${port}>\r\n` +
      (authorization ? `Authorization: ${authorization}\r\n` : '') +
      'Max-Forwards: 70\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n',
  );
}

function options(ext: string, i: number, callId: string, cseq: number, branch: string): Buffer {
  const port = PHONE_PORT_BASE + i;
  return Buffer.from(
    `OPTIONS sip:${DOMAIN} SIP/2.0\r\n` +
      `Via: SIP/2.0/UDP 127.0.0.1:${port};rport;branch=${branch}\r\n` +
      `From: <sip:${ext}@${DOMAIN}>;tag=${i}SIPpTag${callId}\r\n` +
      `To: <sip:${DOMAIN}>\r\n` +
      `Call-ID: ${callId}\r\n` +
      `CSeq: ${cseq} OPTIONS\r\n` +
      'Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n',
  );
}

interface PhaseResult {
  /** Wall time inside stack.receive, per request (us). */
  us: number;
  /** Process CPU during the phase, per request (us). */
  cpuUs: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sip-stack-bench-'));
  const exts = Array.from({ length: DEVICES }, (_, i) => String(100000 + i));
  provision(dir, exts.map((ext) => ({ ext, name: `Bench ${ext}`, devices: [ext] })));
  const config = loadConfig(undefined, { cwd: dir });
  config.data = join(dir, 'data');
  config.sip.domain = DOMAIN;
  const store = openStore(config.data);
  const net = new LoopNetwork();
  const stack = new SipStack({
    transports: { address: '127.0.0.1', port: 5060 },
    network: (sink) => ((net.sink = sink), net),
    clock: systemClock,
    logger: silentLogger,
    advertisedHost: '127.0.0.1',
  });
  const registrations = new RegistrationService({ config, store, clock: systemClock, logger: silentLogger, localAddresses: ['127.0.0.1'] });
  const router = new RequestRouter(stack, registrations, silentLogger);
  registrations.start();
  void stack.start(router);
  const flows = exts.map((_, i): Flow => ({ protocol: 'udp', remoteAddress: '127.0.0.1', remotePort: PHONE_PORT_BASE + i, localAddress: '127.0.0.1', localPort: 5060 }));

  let call = 0;
  let branch = 0;
  const nextBranch = () => `z9hG4bK-${process.pid}-${++branch}-0`;

  /**
   * Delivers every datagram (`perPhone` in a row to each phone) and checks each answer's status.
   * Yields to the event loop every YIELD_EVERY datagrams, as a loaded switch does between
   * socket reads, so its timers (write-behind flush, transaction timers) run: their cost is
   * in the CPU figure, not in the wall time per request.
   */
  async function phase(datagrams: Buffer[], status: string, perPhone = 1): Promise<PhaseResult> {
    const sink = net.sink!;
    const cpu0 = process.cpuUsage();
    let ns = 0n;
    for (let j = 0; j < datagrams.length; j++) {
      const flow = flows[Math.floor(j / perPhone) % DEVICES]!;
      const t0 = process.hrtime.bigint();
      sink.message(datagrams[j]!, flow);
      ns += process.hrtime.bigint() - t0;
      if (j % YIELD_EVERY === YIELD_EVERY - 1) await new Promise(setImmediate);
      const answer = net.last.get(flow.remotePort);
      if (answer === undefined || answer.toString('latin1', 8, 11) !== status) {
        throw new Error(`expected ${status}, got ${answer?.toString('latin1', 0, 200)}`);
      }
    }
    const cpu = process.cpuUsage(cpu0);
    return { us: Number(ns) / 1000 / datagrams.length, cpuUs: (cpu.user + cpu.system) / datagrams.length };
  }

  async function round(): Promise<Record<'challenge' | 'refresh' | 'options', PhaseResult>> {
    const callIds = exts.map(() => `bench-${process.pid}-${++call}`);
    const challenge = await phase(exts.map((ext, i) => register(ext, i, callIds[i]!, 1, nextBranch())), '401');
    const refreshes: Buffer[] = [];
    const challenges = exts.map((_, i) => /\r\nWWW-Authenticate: (.*)\r\n/.exec(net.last.get(PHONE_PORT_BASE + i)!.toString('latin1'))![1]!);
    // Each phone sends its 5 refreshes in a row, as a SIPp call does (so the write-behind
    // store coalesces them as it does under SIPp).
    exts.forEach((ext, i) => {
      for (let nc = 1; nc <= 5; nc++) {
        const auth = answerChallenge(challenges[i]!, { username: ext, password: secretFor(ext), method: 'REGISTER', uri: `sip:${DOMAIN}`, nc, cnonce: `c${i}` });
        refreshes.push(register(ext, i, callIds[i]!, nc + 1, nextBranch(), auth));
      }
    });
    const refresh = await phase(refreshes, '200', 5);
    const pings: Buffer[] = [];
    for (let k = 1; k <= 3; k++) exts.forEach((ext, i) => pings.push(options(ext, i, `${callIds[i]}-o`, k, nextBranch())));
    const opts = await phase(pings, '200');
    return { challenge, refresh, options: opts };
  }

  const measured: Array<Awaited<ReturnType<typeof round>>> = [];
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    const result = await round();
    if (r >= WARMUP) measured.push(result);
  }
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  const liveTransactions = stack.transactionCount;
  registrations.stop();
  void stack.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });

  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const row = (name: string, pick: (r: Awaited<ReturnType<typeof round>>) => PhaseResult) => ({
    scenario: name,
    usPerRequest: Number(median(measured.map((r) => pick(r).us)).toFixed(1)),
    minUsPerRequest: Number(Math.min(...measured.map((r) => pick(r).us)).toFixed(1)),
    cpuUsPerRequest: Number(median(measured.map((r) => pick(r).cpuUs)).toFixed(1)),
  });
  const mix = (r: Awaited<ReturnType<typeof round>>): PhaseResult => ({
    us: (r.challenge.us + 5 * r.refresh.us) / 6,
    cpuUs: (r.challenge.cpuUs + 5 * r.refresh.cpuUs) / 6,
  });
  const rows = [
    row('challenge (401)', (r) => r.challenge),
    row('refresh (200, digest)', (r) => r.refresh),
    row('refresh-mix (1+5)', mix),
    row('options (200)', (r) => r.options),
  ];
  console.log(`\nSIP stack in-process (no sockets), ${DEVICES} devices, median of ${ROUNDS} rounds after ${WARMUP} warm-up, node ${process.version}`);
  console.table(rows);
  console.log(`live transactions ${liveTransactions}, heap used ${heapMiB.toFixed(0)} MiB`);
  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'sip-stack.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, devices: DEVICES, rounds: ROUNDS, warmup: WARMUP, rows, liveTransactions, heapMiB }, null, 2));
  console.log(`written ${join(out, 'sip-stack.json')}`);
  process.exit(0);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
