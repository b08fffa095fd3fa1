/**
 * Mixer load benchmark: one room of N participants on the real engine (worker threads,
 * real UDP on loopback), driven by a separate load-generator process.
 *
 *   npm run bench:mixer -- --participants 250,500,1000,1500,2000 --talkers 3 --codec pcmu [--workers 1]
 *
 * Per step: engine CPU (whole engine process: main thread + workers, % of one core, and per
 * participant), each worker thread's CPU, late ticks, packets lost both ways, mouth-to-ear
 * latency added by the mixer (a click sent by talker 0, detected in what the others
 * receive: loopback + jitter buffer + wait for the tick + mixing + send), and correctness
 * (every analysed listener hears all K talkers' tones; no talker hears its own).
 * Prints a table, writes bench/results/mixer-<codec>-w<W>.json and .svg.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Command } from 'commander';
import { MediaEngine } from '../src/mixer/channel/media-engine.js';
import type { CodecName } from '../src/rtp/codec/codec.js';
import type { WorkerStats } from '../src/mixer/channel/protocol.js';
import { renderChart } from './mixer/chart.js';
import { LATENESS_BUCKETS_MS } from '../src/mixer/clock/tick-schedule.js';
import type { FromGenerator, GeneratorReport, LoadPlan } from './mixer/protocol.js';

const CODECS: Record<string, { name: CodecName; pt: number }> = {
  pcmu: { name: 'PCMU', pt: 0 },
  pcma: { name: 'PCMA', pt: 8 },
  g722: { name: 'G722', pt: 9 },
  opus: { name: 'opus', pt: 111 },
};
const TONES = [440, 620, 830, 1020, 1230, 1470, 1690, 1910];
const AUDIO_LEVEL_EXT_ID = 1; // a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
const HEARD_DBOV = -45; // a talker's tone at least this strong in a listener's stream: heard
const SELF_DBOV = -55; // own tone above this (G.711 intermodulation of the others stays below -65): hears itself

interface StepResult {
  participants: number;
  workers: number;
  codec: string;
  talkers: number;
  audioLevels: boolean;
  engineCpuPct: number;
  cpuPerParticipantPct: number;
  workerCpuPct: number[];
  ticks: number;
  lateTicks: number;
  lateTickPct: number;
  maxLateMs: number;
  /** 99th percentile of tick lateness over the window (upper bound of its histogram bucket), ms. */
  lateP99Ms: number | string;
  spanLate: number;
  lostToEngine: number;
  lostFromEngine: number;
  sentByGenerator: number;
  receivedByGenerator: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Of ~180 samples per step: close to the second-largest; read it with latencySamples. */
  latencyP99Ms: number;
  latencyMaxMs: number;
  latencySamples: number;
  listenersChecked: number;
  listenersHearingAll: number;
  talkersHearingSelf: number;
  generatorCpuPct: number;
  /** The whole machine over the window (% of one core) and what was neither engine nor generator. */
  machineCpuPct: number;
  othersCpuPct: number;
  /** Other processes used more than --max-others during the window, even after the retries. */
  disturbed: boolean;
  loadAvg: number[];
  /** What each talker heard: dBov of every talker tone in its stream (its own should be absent). */
  talkerStreams: number[][];
}

/**
 * Wait (at most `maxS` seconds) until the machine, before this step starts, is busier than
 * `belowPct` (% of one core) no more: other processes share these cores. Returns the last reading.
 */
async function waitForQuiet(belowPct: number, maxS: number): Promise<number> {
  let pct = NaN;
  for (let i = 0; i < maxS; i++) {
    const a = machineJiffies();
    await sleep(1000);
    const b = machineJiffies();
    pct = ((b.busy - a.busy) / (b.total - a.total)) * 100 * availableParallelism();
    if (pct < belowPct) break;
  }
  return pct;
}

async function runStep(n: number, o: Options): Promise<StepResult> {
  const codec = CODECS[o.codec]!;
  if (o.quietBelow > 0) {
    const pct = await waitForQuiet(o.quietBelow, 120);
    if (pct >= o.quietBelow) console.log(`(machine still ${pct.toFixed(0)} % busy before N=${n}; measuring anyway)`);
  }
  const engine = await MediaEngine.start({ workers: o.workers, rtpPorts: { min: 30000, max: 37999 } });
  const gen = fork(new URL('./mixer/load-generator.js', import.meta.url), [], { stdio: 'inherit' });
  try {
    engine.createRoom({ roomId: 'bench', maxTalkers: Math.max(3, o.talkers), joinToneFile: null, leaveToneFile: null });
    const ports: number[] = [];
    const payloads = [{ payloadType: codec.pt, codec: codec.name }];
    for (let i = 0; i < n; i++) {
      const { localPort } = await engine.createEndpoint({ endpointId: `p${i}`, payloads, symmetricLatching: true, audioLevelExtensionId: o.audioLevel ? AUDIO_LEVEL_EXT_ID : undefined });
      await engine.addToRoom('bench', `p${i}`);
      ports.push(localPort);
    }
    const plan: LoadPlan = {
      enginePorts: ports,
      payloadType: codec.pt,
      codec: codec.name,
      talkers: o.talkers,
      toneHz: TONES.slice(0, o.talkers),
      sockets: o.genSockets,
      basePort: 38000,
      sampledListeners: o.sampled,
      clickEveryMs: 1000,
      audioLevelExtId: o.audioLevel ? AUDIO_LEVEL_EXT_ID : 0,
    };
    gen.send({ type: 'plan', plan });
    await message(gen, 'ready');
    await sleep(o.warmup * 1000);
    const before = await engine.workerStats();
    const cpu0 = process.cpuUsage();
    const m0 = machineJiffies();
    const t0 = performance.now();
    gen.send({ type: 'measure' });
    await sleep(o.duration * 1000);
    const cpu = process.cpuUsage(cpu0);
    const m1 = machineJiffies();
    const wall = performance.now() - t0;
    // Whole machine busy time over the window, in % of one core (2 cores = 200 %).
    const machinePct = ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100 * availableParallelism();
    const after = await engine.workerStats();
    gen.send({ type: 'report' });
    const rep = ((await message(gen, 'report')) as Extract<FromGenerator, { type: 'report' }>).report;
    let lostToEngine = 0;
    for (let i = 0; i < n; i++) lostToEngine += (await engine.endpointStats(`p${i}`)).packetsLost;
    const clicker = await engine.endpointStats('p0');
    if (o.verbose) console.log('talker 0 (the click source) at the engine:', clicker);
    const r = summarise(n, o, rep, before, after, ((cpu.user + cpu.system) / 1000 / wall) * 100, lostToEngine);
    r.machineCpuPct = round(machinePct, 1);
    r.othersCpuPct = round(machinePct - r.engineCpuPct - r.generatorCpuPct, 1);
    return r;
  } finally {
    gen.kill();
    await engine.close();
  }
}

function summarise(n: number, o: Options, rep: GeneratorReport, before: WorkerStats[], after: WorkerStats[], cpuPct: number, lostToEngine: number): StepResult {
  const d = (f: (s: WorkerStats) => number): number => after.reduce((a, s, i) => a + f(s) - f(before[i]!), 0);
  const ticks = d((s) => s.ticks);
  const late = d((s) => s.lateTicks);
  const lat = [...rep.latenciesMs].sort((a, b) => a - b);
  const q = (p: number): number => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! : NaN);
  let hearingAll = 0;
  let hearingSelf = 0;
  for (const l of rep.listeners) {
    const others = l.toneDbov.every((db, t) => t === l.talker || db > HEARD_DBOV);
    if (others) hearingAll++;
    if (l.talker >= 0 && l.toneDbov[l.talker]! > SELF_DBOV) hearingSelf++;
  }
  return {
    participants: n,
    workers: o.workers,
    codec: o.codec,
    talkers: o.talkers,
    audioLevels: o.audioLevel,
    engineCpuPct: round(cpuPct, 1),
    cpuPerParticipantPct: round(cpuPct / n, 4),
    workerCpuPct: after.map((s, i) => round(((s.threadCpuMs - before[i]!.threadCpuMs) / (s.atMs - before[i]!.atMs)) * 100, 1)),
    ticks,
    lateTicks: late,
    lateTickPct: round(ticks ? (late / ticks) * 100 : 0, 3),
    maxLateMs: round(Math.max(...after.map((s) => s.maxLateMs)), 1),
    lateP99Ms: latenessP99(before, after),
    spanLate: d((s) => s.spanLate),
    lostToEngine,
    lostFromEngine: rep.lost,
    sentByGenerator: rep.sent,
    receivedByGenerator: rep.received,
    latencyP50Ms: round(q(0.5), 1),
    latencyP95Ms: round(q(0.95), 1),
    latencyP99Ms: round(q(0.99), 1),
    latencyMaxMs: round(lat[lat.length - 1] ?? NaN, 1),
    latencySamples: lat.length,
    listenersChecked: rep.listeners.length,
    listenersHearingAll: hearingAll,
    talkersHearingSelf: hearingSelf,
    generatorCpuPct: round((rep.cpuMs / rep.wallMs) * 100, 1),
    machineCpuPct: NaN,
    othersCpuPct: NaN,
    disturbed: false,
    loadAvg: loadavg().map((v) => round(v, 2)),
    talkerStreams: rep.listeners.filter((l) => l.talker >= 0).map((l) => l.toneDbov.map((v) => round(v, 1))),
  };
}

interface Options {
  participants: number[];
  talkers: number;
  codec: string;
  workers: number;
  duration: number;
  warmup: number;
  genSockets: number;
  sampled: number;
  out: string;
  audioLevel: boolean;
  verbose: boolean;
  quietBelow: number;
  maxOthers: number;
  retries: number;
}

async function main(): Promise<void> {
  const cmd = new Command()
    .option('--participants <list>', 'comma-separated steps of N', '250,500,1000,1500,2000')
    .option('--talkers <k>', 'talkers sending a tone', '3')
    .option('--codec <name>', 'pcmu | pcma | g722 | opus', 'pcmu')
    .option('--workers <w>', 'media workers', '1')
    .option('--duration <s>', 'measured seconds per step', '10')
    .option('--warmup <s>', 'seconds before measuring', '3')
    .option('--gen-sockets <s>', 'load-generator sockets', '8')
    .option('--sampled <m>', 'non-talkers analysed in full', '16')
    .option('--out <dir>', 'results directory', 'bench/results')
    .option('--quiet-below <pct>', 'before each step wait (up to 2 min) until other processes use less than this % of one core', '0')
    .option('--max-others <pct>', 'a step during which other processes used more than this % of one core is measured again', '1000')
    .option('--retries <n>', 'how many times a disturbed step is measured again', '2')
    .option('--verbose', 'print the click source\'s endpoint stats per step')
    .option('--no-audio-level', 'send no RFC 6464 audio levels (the engine must decode every source)')
    .parse();
  const a = cmd.opts<Record<string, string>>();
  const o: Options = {
    participants: a.participants!.split(',').map(Number),
    talkers: Number(a.talkers),
    codec: a.codec!.toLowerCase(),
    workers: Number(a.workers),
    duration: Number(a.duration),
    warmup: Number(a.warmup),
    genSockets: Number(a.genSockets),
    sampled: Number(a.sampled),
    out: a.out!,
    audioLevel: (a.audioLevel as unknown) !== false,
    verbose: (a.verbose as unknown) === true,
    quietBelow: Number(a.quietBelow),
    maxOthers: Number(a.maxOthers),
    retries: Number(a.retries),
  };
  if (!CODECS[o.codec]) throw new Error(`unknown codec ${o.codec}`);
  const results: StepResult[] = [];
  for (const n of o.participants) {
    let r = await runStep(n, o);
    // Other processes share these cores: a step they disturbed is measured again.
    for (let retry = 0; retry < o.retries && r.othersCpuPct > o.maxOthers; retry++) {
      console.log(`(N=${n}: other processes used ${r.othersCpuPct} % of a core during the window; measuring again)`);
      r = await runStep(n, o);
    }
    r.disturbed = r.othersCpuPct > o.maxOthers;
    results.push(r);
    printRow(r, results.length === 1);
  }
  mkdirSync(o.out, { recursive: true });
  const base = `${o.out}/mixer-${o.codec}-w${o.workers}${o.audioLevel ? '' : '-nolevel'}`;
  writeFileSync(`${base}.json`, JSON.stringify({ command: process.argv.slice(2).join(' '), date: new Date().toISOString(), results }, null, 2));
  const title = `One room, ${o.codec.toUpperCase()}, ${o.talkers} talkers, ${o.workers} worker(s)${o.audioLevel ? ', RFC 6464 levels' : ', no audio levels'}`;
  writeFileSync(`${base}.svg`, renderChart(title, results.map((r) => ({ participants: r.participants, cpuPct: r.engineCpuPct, latencyP50Ms: r.latencyP50Ms, latencyP95Ms: r.latencyP95Ms }))));
  console.log(`\nwrote ${base}.json and ${base}.svg`);
}

function printRow(r: StepResult, header: boolean): void {
  const cols: [string, string | number][] = [
    ['N', r.participants],
    ['W', r.workers],
    ['engine CPU %', r.engineCpuPct],
    ['%/particip.', r.cpuPerParticipantPct],
    ['worker CPU %', r.workerCpuPct.join('/')],
    ['late ticks', `${r.lateTicks}/${r.ticks}`],
    ['p99 late ms', `<=${r.lateP99Ms}`],
    ['lost in/out', `${r.lostToEngine}/${r.lostFromEngine}`],
    ['lat p50/p95/p99/max ms', `${r.latencyP50Ms}/${r.latencyP95Ms}/${r.latencyP99Ms}/${r.latencyMaxMs}`],
    ['hear all', `${r.listenersHearingAll}/${r.listenersChecked}`],
    ['hear self', r.talkersHearingSelf],
    ['gen CPU %', r.generatorCpuPct],
    ['others CPU %', r.othersCpuPct],
  ];
  if (header) console.log(cols.map(([h]) => h.padStart(Math.max(h.length, 8))).join(' '));
  console.log(cols.map(([h, v]) => String(v).padStart(Math.max(h.length, 8))).join(' '));
}

function message(child: ChildProcess, type: string): Promise<FromGenerator> {
  return new Promise((resolve, reject) => {
    const on = (m: FromGenerator): void => {
      if (m.type !== type) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
  });
}

/** Busy and total jiffies of all CPUs (/proc/stat), to tell how busy the machine was. */
function machineJiffies(): { busy: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'latin1').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, v) => a + v, 0);
    return { busy: total - f[3]! - (f[4] ?? 0), total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function latenessP99(before: WorkerStats[], after: WorkerStats[]): number | string {
  const counts = after[0]!.lateness.map((_, b) => after.reduce((a, s, i) => a + s.lateness[b]! - before[i]!.lateness[b]!, 0));
  const total = counts.reduce((a, c) => a + c, 0);
  let seen = 0;
  for (let b = 0; b < counts.length; b++) {
    seen += counts[b]!;
    if (seen >= 0.99 * total) return b < LATENESS_BUCKETS_MS.length ? LATENESS_BUCKETS_MS[b]! : `>${LATENESS_BUCKETS_MS[LATENESS_BUCKETS_MS.length - 1]}`;
  }
  return NaN;
}

function round(v: number, digits: number): number {
  const k = Math.pow(10, digits);
  return Math.round(v * k) / k;
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
