/**
 * One step of the relayed-calls benchmark (bench/calls.ts): N long PCMU calls set up by SIPp
 * (caller and callee SDPs naming the load generator's sockets), RTP both ways from the load
 * generator once each side's switch port is known (SIPp logs it: `a <port>` for the caller's
 * leg from the 200, `b <port>` for the callee's from the INVITE), a warm-up, then a measured
 * window: the switch's CPU by thread, the generator's loss count, the kernel's UDP drops; and
 * after the window the switch's own view (`softswitch calls --json`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port.js';
import { repoRoot } from '../test/support/paths.js';
import { runSipp, type SippResult } from '../test/support/sipp.js';
import type { SwitchProcess } from '../test/support/switch-process.js';
import type { FromCallsGenerator, Side, ToCallsGenerator } from './calls-load-generator.js';
import { buildRtpBlaster, startRtpBlaster, type RtpGenerator } from './calls-rtp-blaster.js';
import { cpuDelta, loadAverage, machineBusySeconds, machineTimes, processCpu, udpDrops, udpSockets } from './calls-measure.js';
import { callerScenario, calleeScenario } from './calls-scenarios.js';

export interface RelayBench {
  args: { setupRate: number; window: number; warmup: number; generator: 'c' | 'node' };
  sw: SwitchProcess;
  scratch: string;
  /** Caller injection rows: device;[authentication ...];number. */
  callerRows: string[];
  /** Where the callee's SIPp registered from. */
  calleePort: number;
}

export interface RelayRow {
  calls: number;
  callsUp: number;
  switchCorePercent: number;
  mainThreadCorePercent: number;
  busiestThreadCorePercent: number;
  perCallCorePercent: number;
  callsPerCore: number;
  sentPackets: number;
  receivedPackets: number;
  /** 1 - received / sent, packets sent in the window (a drain of 2 s allowed for them to come back). */
  lossPercent: number;
  /** Caller-side -> callee-side and back, each as 1 - received / sent. */
  lossAtoBPercent: number;
  lossBtoAPercent: number;
  seqGaps: number;
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  silentStreams: number;
  kernelUdpDrops: number;
  /** Receive-buffer drops on the switch's own sockets, and on the generator's, during the window. */
  switchSocketDrops: number;
  generatorSocketDrops: number;
  /** Bytes queued unread at the end of the window: where a backlog sits. */
  switchRxQueueKB: number;
  generatorRxQueueKB: number;
  switchLost: number;
  generatorCorePercent: number;
  othersCorePercent: number;
  generatorLateSlots: number;
  loadBefore: string;
}

const lossPct = (sent: number, received: number): number => Number(((100 * (sent - received)) / Math.max(1, sent)).toFixed(4));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The Node load generator (calls-load-generator.ts) behind the same interface as the native one. */
async function startNodeGenerator(): Promise<RtpGenerator> {
  const child: ChildProcess = fork(join(repoRoot, 'dist', 'bench', 'calls-load-generator.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: FromCallsGenerator[] = [];
  const waiters: Array<() => void> = [];
  child.on('message', (m: FromCallsGenerator) => {
    inbox.push(m);
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (): Promise<FromCallsGenerator> => {
    while (!inbox.length) await new Promise<void>((r) => waiters.push(r));
    return inbox.shift()!;
  };
  const ask = (m: ToCallsGenerator): void => void child.send(m);
  await once(child, 'spawn');
  ask({ type: 'start', socketsPerSide: 2 });
  const ready = await next();
  if (ready.type !== 'ready') throw new Error('generator did not start');
  return {
    pid: child.pid!,
    ports: ready.ports,
    add: (side, ports) => ask({ type: 'add', side, ports }),
    measure: () => ask({ type: 'measure' }),
    end: () => ask({ type: 'end' }),
    report: async () => {
      ask({ type: 'report' });
      const m = await next();
      if (m.type !== 'report') throw new Error('generator: no report');
      return m.report;
    },
    stopSending: () => ask({ type: 'stop-sending' }),
    close: () => child.disconnect(),
  };
}

/** New `a <port>` / `b <port>` lines of a SIPp log since `offset`. */
function readPorts(file: string, offset: number): { ports: Array<[Side, number]>; offset: number } {
  if (!existsSync(file)) return { ports: [], offset };
  const text = readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const ports: Array<[Side, number]> = [];
  for (const line of text.slice(offset, end).split('\n')) {
    const m = /^([ab]) (\d+)/.exec(line.trim());
    if (m) ports.push([m[1] as Side, Number(m[2])]);
  }
  return { ports, offset: Math.max(offset, end) };
}

interface LegJson {
  packetsIn: number;
  packetsOut: number;
  lost: number;
}

export async function runRelayStep(b: RelayBench, n: number): Promise<RelayRow> {
  const { sw, args } = b;
  const blaster = args.generator === 'c' ? buildRtpBlaster(b.scratch) : undefined;
  const gen = blaster ? await startRtpBlaster(blaster) : await startNodeGenerator();
  const setupS = n / args.setupRate;
  const holdMs = Math.round((setupS + args.warmup + args.window + 10) * 1000);
  const uacFile = join(b.scratch, `relay-caller-${n}.xml`);
  const uasFile = join(b.scratch, `relay-callee-${n}.xml`);
  const uacLog = join(b.scratch, `relay-caller-${n}.log`);
  const uasLog = join(b.scratch, `relay-callee-${n}.log`);
  writeFileSync(uacFile, callerScenario({ mediaPort: gen.ports.a[0]!, holdMs, logPort: true }));
  writeFileSync(uasFile, calleeScenario({ mediaPort: gen.ports.b[0]!, logPort: true }));
  const loadBefore = loadAverage();
  const timeoutMs = holdMs + 60_000;
  const uas = runSipp({ scenario: uasFile, target: `127.0.0.1:${sw.sipPort}`, calls: n, localPort: b.calleePort, timeoutMs, logFile: uasLog, extraArgs: ['-l', String(n + 100)] });
  await sleep(500);
  const uac = runSipp({
    scenario: uacFile,
    target: `127.0.0.1:${sw.sipPort}`,
    rows: b.callerRows,
    calls: n,
    rate: args.setupRate,
    limit: n + 100,
    localPort: await freePort(),
    timeoutMs,
    logFile: uacLog,
    extraArgs: ['-auth_uri', '9000@pbx.local'],
  });
  const done: Array<SippResult | undefined> = [undefined, undefined];
  void uac.then((r) => (done[0] = r));
  void uas.then((r) => (done[1] = r));

  // Hand the generator every leg's switch port as SIPp logs it.
  const known = { a: 0, b: 0 };
  const offsets = { a: 0, b: 0 };
  const deadline = Date.now() + (setupS + 30) * 1000;
  while ((known.a < n || known.b < n) && Date.now() < deadline && !done[0]) {
    await sleep(200);
    for (const [file, key] of [[uacLog, 'a'], [uasLog, 'b']] as const) {
      const r = readPorts(file, offsets[key]);
      offsets[key] = r.offset;
      const ports = r.ports.filter(([s]) => s === key).map(([, p]) => p);
      if (ports.length) gen.add(key, ports);
      known[key] += ports.length;
    }
  }
  if (known.a < n || known.b < n) console.error(`relay ${n}: only ${known.a} caller and ${known.b} callee legs came up`);

  await sleep(args.warmup * 1000);
  const pid = sw.child.pid!;
  const c0 = processCpu(pid);
  const g0 = processCpu(gen.pid);
  const m0 = machineTimes();
  const d0 = udpDrops();
  const ss0 = udpSockets(pid);
  const gs0 = udpSockets(gen.pid);
  gen.measure();
  const t0 = process.hrtime.bigint();
  await sleep(args.window * 1000);
  gen.end();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c1 = processCpu(pid);
  const g1 = processCpu(gen.pid);
  const m1 = machineTimes();
  const d1 = udpDrops();
  const ss1 = udpSockets(pid);
  const gs1 = udpSockets(gen.pid);
  await sleep(2000); // packets sent late in the window come back
  const report = await gen.report();

  // The switch's own view, after the window (listing 2 x N endpoints' stats costs CPU).
  const live = await sw.cli('calls', '--json');
  const calls = live.code === 0 ? (JSON.parse(live.stdout) as Array<{ state: string; legs: LegJson[] }>) : [];
  const switchLost = calls.reduce((s, c) => s + c.legs.reduce((x, l) => x + l.lost, 0), 0);
  gen.stopSending();
  const [ra, rb] = await Promise.all([uac, uas]);
  gen.close();
  if (ra.code !== 0 || rb.code !== 0) console.error(`relay ${n}: SIPp caller exit ${ra.code} (${ra.failed} failed), callee exit ${rb.code}\n${(ra.errors || rb.errors).slice(0, 600)}`);

  const cpu = cpuDelta(c0, c1);
  const genCpu = g1.total - g0.total;
  const others = machineBusySeconds(m0, m1, wall) - cpu.seconds - genCpu;
  const pct = (s: number) => Number(((100 * s) / wall).toFixed(1));
  const perCall = (100 * cpu.seconds) / wall / Math.max(1, n);
  return {
    calls: n,
    callsUp: calls.filter((c) => c.state === 'answered').length,
    switchCorePercent: pct(cpu.seconds),
    mainThreadCorePercent: pct(cpu.main),
    busiestThreadCorePercent: pct(cpu.busiestThread),
    perCallCorePercent: Number(perCall.toFixed(4)),
    callsPerCore: Math.round(100 / perCall),
    sentPackets: report.sent.a + report.sent.b,
    receivedPackets: report.received.a + report.received.b,
    lossPercent: lossPct(report.sent.a + report.sent.b, report.received.a + report.received.b),
    lossAtoBPercent: lossPct(report.sent.a, report.received.b),
    lossBtoAPercent: lossPct(report.sent.b, report.received.a),
    seqGaps: report.seqGaps,
    delayP50Ms: report.delayMs.p50,
    delayP99Ms: report.delayMs.p99,
    delayMaxMs: report.delayMs.max,
    silentStreams: report.silentStreams,
    kernelUdpDrops: d1.rcvbufErrors - d0.rcvbufErrors,
    switchSocketDrops: ss1.drops - ss0.drops,
    generatorSocketDrops: gs1.drops - gs0.drops,
    switchRxQueueKB: Math.round(ss1.rxQueueBytes / 1024),
    generatorRxQueueKB: Math.round(gs1.rxQueueBytes / 1024),
    switchLost,
    generatorCorePercent: pct(genCpu),
    othersCorePercent: pct(others),
    generatorLateSlots: report.lateSlots,
    loadBefore,
  };
}
