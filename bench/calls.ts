// Calls through the real switch process (issue 3 benchmarks), driven by SIPp.
//
//   npm run bench:calls -- [--mode setup,relay] [--rates 100,200,300,400] [--seconds 10]
//                          [--calls 100,300,500,700,900] [--setup-rate 100] [--window 10] [--warmup 4]
//                          [--rounds 1] [--quiet-below 30] [--max-others 30] [--retries 2] [--workers 1]
//                          [--generator c|node]
//
// setup  Call set-up rate: SIPp caller -> switch -> SIPp callee, INVITE (407 + digest), 200,
//        ACK, BYE, no media, at each offered rate for --seconds. Reports completed calls/s,
//        failures, and the switch's CPU per call set-up (all threads: SIP, call control,
//        media endpoints created and destroyed, history written).
// relay  Concurrent relayed calls: N long PCMU calls set up by SIPp at --setup-rate, RTP both
//        ways from a load-generator process at 50 packets/s per leg: by default a small C
//        program built with the system's cc (bench/calls-rtp-blaster.ts, sendmmsg/recvmmsg),
//        with --generator node (or without cc) the Node one (bench/calls-load-generator.ts).
//        Every packet carries its send time in its payload (pass-through relays leave payloads
//        alone), so after --warmup s a --window s measurement counts exactly: packets sent in
//        the window, of those how many came back out of the other leg (2 s drain allowed), per
//        direction, and each one's delay through the switch (p50/p99/max); plus RTP sequence
//        gaps, the switch's CPU (main thread, busiest other thread = the media worker, all
//        threads), receive-buffer drops on the switch's and the generator's own sockets and the
//        kernel's UDP drop counter.
//
// The machine is shared: before each step the benchmark waits until other processes use less
// than --quiet-below % of one core, and reports what everything else used during the window.
// Prints tables and writes bench/results/calls-<mode>.json (calls-setup-relay.json for both), so a
// run of one mode does not overwrite the other's figures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port.js';
import { repoRoot } from '../test/support/paths.js';
import { provision, secretFor } from '../test/support/provision.js';
import { authRows, runSipp, scenarioPath } from '../test/support/sipp.js';
import { startSwitchProcess } from '../test/support/switch-process.js';
import { cpuDelta, loadAverage, machineBusySeconds, machineTimes, processCpu, udpDrops, waitQuiet } from './calls-measure.js';
import { runRelayStep, type RelayBench, type RelayRow } from './calls-relay.js';
import { callerScenario, calleeScenario } from './calls-scenarios.js';

interface Args {
  modes: Array<'setup' | 'relay'>;
  rates: number[];
  seconds: number;
  calls: number[];
  setupRate: number;
  window: number;
  warmup: number;
  rounds: number;
  quietBelow: number;
  /** A step during which other processes used more than this (% of one core) is measured again, up to --retries times. */
  maxOthers: number;
  retries: number;
  workers: number;
  callers: number;
  /** RTP load generator: the native one (needs a C compiler) or the Node one. */
  generator: 'c' | 'node';
}

function parseArgs(argv: string[]): Args {
  const a: Args = { modes: ['setup', 'relay'], rates: [100, 200, 300, 400], seconds: 10, calls: [100, 300, 500, 700, 900], setupRate: 100, window: 10, warmup: 4, rounds: 1, quietBelow: 30, maxOthers: 30, retries: 2, workers: 1, callers: 500, generator: 'c' };
  const num = (v: string) => v.split(',').map(Number);
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1] ?? '';
    if (argv[i] === '--mode') a.modes = v.split(',') as Args['modes'];
    if (argv[i] === '--rates') a.rates = num(v);
    if (argv[i] === '--seconds') a.seconds = Number(v);
    if (argv[i] === '--calls') a.calls = num(v);
    if (argv[i] === '--setup-rate') a.setupRate = Number(v);
    if (argv[i] === '--window') a.window = Number(v);
    if (argv[i] === '--warmup') a.warmup = Number(v);
    if (argv[i] === '--rounds') a.rounds = Number(v);
    if (argv[i] === '--quiet-below') a.quietBelow = Number(v);
    if (argv[i] === '--workers') a.workers = Number(v);
    if (argv[i] === '--max-others') a.maxOthers = Number(v);
    if (argv[i] === '--retries') a.retries = Number(v);
    if (argv[i] === '--generator') a.generator = v === 'node' ? 'node' : 'c';
    if (argv[i] === '--callers') a.callers = Number(v);
  }
  return a;
}

/** What every step shares: the switch, the callers' credentials, the callee's SIPp port. */
interface Bench extends RelayBench {
  args: Args;
}

const CALLEE = '9001';

async function setup(args: Args): Promise<Bench> {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-calls-'));
  const sw = await startSwitchProcess({
    log: { level: 'warn', pretty: false },
    media: { workers: args.workers },
    // Below the kernel's ephemeral range (32768-60999 here): an RTCP port (RTP + 1) inside it
    // was now and then taken by some process's ephemeral socket, and that call lost its media
    // (call.media_failed: endpoint.update bind EADDRINUSE). Not 20000-29999 either: freePort
    // (test/support) picks SIP and SIPp ports there; bench:mixer uses 30000-37999.
    rtp: { ports: '10000-19999' },
  });
  const callers = Array.from({ length: args.callers }, (_, i) => String(100000 + i));
  provision(sw.dir, [
    ...callers.map((ext) => ({ ext, name: `Caller ${ext}`, devices: [ext], authAlgorithms: ['MD5' as const] })),
    { ext: '9000', name: 'Callee', devices: [CALLEE], authAlgorithms: ['MD5'], primary: null },
  ]);
  const calleePort = await freePort();
  const reg = await runSipp({ scenario: scenarioPath('register-digest.xml'), target: `127.0.0.1:${sw.sipPort}`, rows: authRows([CALLEE], secretFor), calls: 1, localPort: calleePort, keys: { expires: 3600 } });
  if (reg.code !== 0) throw new Error(`callee REGISTER failed: ${reg.output}`);
  return { args, sw, scratch, callerRows: authRows(callers, secretFor).map((r) => `${r};9000`), calleePort };
}

interface SetupRow {
  offeredPerSecond: number;
  calls: number;
  completed: number;
  failed: number;
  completedPerSecond: number;
  switchCpuMsPerCall: number;
  /** Less what the idle switch uses meanwhile (media tick loop, history timer), measured before the step. */
  netCpuMsPerCall: number;
  mainThreadMsPerCall: number;
  busiestThreadMsPerCall: number;
  setupsPerCoreSecond: number;
  switchCorePercent: number;
  othersCorePercent: number;
  /** The kernel's UDP receive-buffer overflows during the step (all sockets of the machine). */
  kernelUdpDrops: number;
  loadBefore: string;
}

async function setupStep(b: Bench, rate: number, seconds: number): Promise<SetupRow> {
  const { sw } = b;
  const calls = Math.round(rate * seconds);
  const uacFile = join(b.scratch, 'setup-caller.xml');
  const uasFile = join(b.scratch, 'setup-callee.xml');
  writeFileSync(uacFile, callerScenario({ mediaPort: 9, holdMs: 0, logPort: false }));
  writeFileSync(uasFile, calleeScenario({ mediaPort: 9, logPort: false }));
  const sippPids: number[] = [];
  const sippCpu = () => sippPids.reduce((s, p) => s + processCpu(p).total, 0);
  const loadBefore = loadAverage();
  const idle0 = processCpu(sw.child.pid!).total;
  await new Promise((r) => setTimeout(r, 2000));
  const idlePerSecond = (processCpu(sw.child.pid!).total - idle0) / 2;
  const uas = runSipp({ scenario: uasFile, target: `127.0.0.1:${sw.sipPort}`, calls, localPort: b.calleePort, timeoutMs: seconds * 1000 + 60_000, extraArgs: ['-l', '5000'], onSpawn: (p) => sippPids.push(p) });
  await new Promise((r) => setTimeout(r, 500));
  const cpu0 = processCpu(sw.child.pid!);
  const m0 = machineTimes();
  const s0 = sippCpu();
  const d0 = udpDrops();
  const t0 = process.hrtime.bigint();
  const uac = await runSipp({
    scenario: uacFile,
    target: `127.0.0.1:${sw.sipPort}`,
    rows: b.callerRows,
    calls,
    rate,
    limit: 2000,
    localPort: await freePort(),
    timeoutMs: seconds * 1000 + 60_000,
    extraArgs: ['-auth_uri', '9000@pbx.local'],
    onSpawn: (p) => sippPids.push(p),
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu1 = processCpu(sw.child.pid!);
  const s1 = sippCpu();
  const m1 = machineTimes();
  const d1 = udpDrops();
  await uas;
  if (uac.code !== 0) console.error(`setup at ${rate}/s: SIPp exit ${uac.code}, ${uac.failed} failed\n${uac.errors.slice(0, 800)}`);
  const { seconds: cpu, main, busiestThread } = cpuDelta(cpu0, cpu1);
  const done = Math.max(1, uac.successful);
  const others = machineBusySeconds(m0, m1, wall) - cpu - (s1 - s0);
  return {
    offeredPerSecond: rate,
    calls,
    completed: uac.successful,
    failed: uac.failed + Math.max(0, calls - uac.successful - uac.failed),
    completedPerSecond: Math.round(uac.successful / wall),
    switchCpuMsPerCall: Number(((cpu * 1000) / done).toFixed(3)),
    netCpuMsPerCall: Number((((cpu - idlePerSecond * wall) * 1000) / done).toFixed(3)),
    mainThreadMsPerCall: Number(((main * 1000) / done).toFixed(3)),
    busiestThreadMsPerCall: Number(((busiestThread * 1000) / done).toFixed(3)),
    setupsPerCoreSecond: Math.round(done / Math.max(0.01, cpu)),
    switchCorePercent: Number(((100 * cpu) / wall).toFixed(1)),
    othersCorePercent: Number(((100 * others) / wall).toFixed(1)),
    kernelUdpDrops: d1.rcvbufErrors - d0.rcvbufErrors,
    loadBefore,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const b = await setup(args);
  const setupRows: SetupRow[] = [];
  const relayRows: RelayRow[] = [];
  const drops0 = udpDrops();
  try {
    if (args.modes.includes('setup')) {
      // Warm-up as long as a step: 300 calls left the JIT cold (the first 1,500 calls cost ~30 % more CPU each).
      await setupStep(b, args.rates[0]!, args.seconds);
      for (const rate of args.rates) {
        for (let k = 0; k < args.rounds; k++) {
          let row: SetupRow;
          let others = 0;
          for (let attempt = 0; ; attempt++) {
            others = await waitQuiet(args.quietBelow, () => processCpu(b.sw.child.pid!).total);
            row = await setupStep(b, rate, args.seconds);
            // SIPp is not "others" here: its CPU is taken out of othersCorePercent.
            if (row.othersCorePercent <= args.maxOthers || attempt >= args.retries) break;
            console.error(`setup ${rate}/s: others used ${row.othersCorePercent} % of a core; again`);
          }
          setupRows.push(row);
          console.error(`setup ${rate}/s: ${row.completed}/${row.calls} in ${row.completedPerSecond}/s, ${row.switchCpuMsPerCall} ms CPU per call (others before: ${others.toFixed(0)} %)`);
        }
      }
    }
    if (args.modes.includes('relay')) {
      for (const n of args.calls) {
        for (let k = 0; k < args.rounds; k++) {
          let row: RelayRow;
          for (let attempt = 0; ; attempt++) {
            await waitQuiet(args.quietBelow, () => processCpu(b.sw.child.pid!).total);
            row = await runRelayStep(b, n);
            if (row.othersCorePercent <= args.maxOthers || attempt >= args.retries) break;
            console.error(`relay ${n} calls: others used ${row.othersCorePercent} % of a core during the window; again`);
          }
          relayRows.push(row);
          console.error(`relay ${n} calls: switch ${row.switchCorePercent} % (worker ${row.busiestThreadCorePercent} %), loss ${row.lossPercent} %, silent ${row.silentStreams}`);
        }
      }
    }
  } finally {
    await b.sw.stop();
    rmSync(b.scratch, { recursive: true, force: true });
  }
  const drops1 = udpDrops();
  console.log(`\nCalls through the switch (SIPp on loopback), node ${process.version}, ${cpus().length} cores, media workers: ${args.workers}`);
  if (setupRows.length) {
    console.log('\nCall set-up rate (INVITE/407/INVITE/200/ACK/BYE/200, no media), CPU = the switch process, all threads');
    console.table(
      setupRows.map((r) => ({
        'offered/s': r.offeredPerSecond,
        'completed/s': r.completedPerSecond,
        failed: r.failed,
        'CPU ms/call': r.switchCpuMsPerCall,
        'net ms/call': r.netCpuMsPerCall,
        'main ms/call': r.mainThreadMsPerCall,
        'set-ups/core-s': r.setupsPerCoreSecond,
        'switch %': r.switchCorePercent,
        'others %': r.othersCorePercent,
        'UDP drops': r.kernelUdpDrops,
      })),
    );
  }
  if (relayRows.length) {
    console.log(`\nConcurrent relayed PCMU calls, RTP 50 packets/s each way, ${args.window} s window after ${args.warmup} s warm-up`);
    console.table(
      relayRows.map((r) => ({
        calls: r.calls,
        up: r.callsUp,
        'switch %': r.switchCorePercent,
        'worker %': r.busiestThreadCorePercent,
        'main %': r.mainThreadCorePercent,
        '% per call': r.perCallCorePercent,
        'calls/core': r.callsPerCore,
        'loss %': r.lossPercent,
        'a>b %': r.lossAtoBPercent,
        'b>a %': r.lossBtoAPercent,
        'delay p50': r.delayP50Ms,
        p99: r.delayP99Ms,
        max: r.delayMaxMs,
        'drops sw/gen': `${r.switchSocketDrops}/${r.generatorSocketDrops}`,
        'rxq KB sw/gen': `${r.switchRxQueueKB}/${r.generatorRxQueueKB}`,
        'gen %': r.generatorCorePercent,
        'gen late slots': r.generatorLateSlots,
        'others %': r.othersCorePercent,
      })),
    );
  }
  console.log(`kernel UDP receive-buffer drops during the run: ${drops1.rcvbufErrors - drops0.rcvbufErrors}`);
  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `calls-${args.modes.join('-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, args, setup: setupRows, relay: relayRows }, null, 2));
  console.log(`written ${file}`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
