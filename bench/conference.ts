// One conference room under load (issue 5): a few hundred SIPp callers dial the same public
// room and stream G.711 RTP into it from a WAV (SIPp's rtp_stream), all at once, through the
// real switch process.
//
//   npm run bench:conference -- [--participants 100,200,300] [--rate 40] [--warmup 5]
//                               [--window 20] [--workers 1] [--quiet-below 30]
//
// For each step: N callers (digest-authenticated devices) dial room 8000 (no PIN, so every
// caller goes straight in), the benchmark waits until `softswitch room live` lists all N,
// lets the room settle for --warmup s, then measures over --window s:
//   - the switch's CPU (all threads, the main thread, the busiest other thread = the media
//     worker mixing the room), net of the idle switch's CPU measured before the first step;
//   - CPU per participant = net CPU / N, in ms of CPU per second (= % of one core / 10);
//   - stability: the participant count sampled every second through the window (min/max),
//     how many the room marks as talking (the callers' RTP reaches the mixer), datagrams the
//     kernel dropped on the switch's own sockets (SIPp never reads what the room sends it, so
//     the machine-wide counter would count SIPp's full buffers), and SIPp's own verdict
//     (every call completed, none failed) once the callers hang up.
// The machine is shared: each step waits for other processes to use less than --quiet-below %
// of one core and reports what they used during the window. Prints a table and writes
// bench/results/conference.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port.js';
import { repoRoot } from '../test/support/paths.js';
import { provision, secretFor } from '../test/support/provision.js';
import { authRows, runSipp, scenarioPath, type SippResult } from '../test/support/sipp.js';
import { startSwitchProcess, type SwitchProcess } from '../test/support/switch-process.js';
import { until } from '../test/support/waiting.js';
import { cpuDelta, loadAverage, machineBusySeconds, machineTimes, processCpu, udpSockets, waitQuiet } from './calls-measure.js';

interface Args {
  participants: number[];
  rate: number;
  warmup: number;
  window: number;
  workers: number;
  quietBelow: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { participants: [100, 200, 300], rate: 40, warmup: 5, window: 20, workers: 1, quietBelow: 30 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1] ?? '';
    if (argv[i] === '--participants') a.participants = v.split(',').map(Number);
    if (argv[i] === '--rate') a.rate = Number(v);
    if (argv[i] === '--warmup') a.warmup = Number(v);
    if (argv[i] === '--window') a.window = Number(v);
    if (argv[i] === '--workers') a.workers = Number(v);
    if (argv[i] === '--quiet-below') a.quietBelow = Number(v);
  }
  for (const n of [...a.participants, a.rate, a.warmup, a.window, a.workers]) {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`bench:conference: every option takes a positive integer (got ${n})`);
  }
  return a;
}

const ROOM = '8000';

interface Row {
  participants: number;
  /** Switch CPU over the window, % of one core, all threads. */
  cpuPct: number;
  /** Net of the idle switch: ms of CPU per second per participant. */
  cpuMsPerParticipant: number;
  mainPct: number;
  busiestThreadPct: number;
  minInRoom: number;
  maxInRoom: number;
  /** Fewest participants marked talking in a sample. */
  minTalking: number;
  /** Datagrams dropped on the switch's sockets during the window. */
  udpDrops: number;
  /** Other processes (SIPp included) during the window, % of one core. */
  othersPct: number;
  sippOk: number;
  sippFailed: number;
  loadAverage: string;
}

async function live(sw: SwitchProcess): Promise<{ inRoom: number; talking: number }> {
  const r = await sw.cli('room', 'live', ROOM, '--json');
  if (r.code !== 0) throw new Error(`room live: ${r.stderr.trim()}`);
  const ps = (JSON.parse(r.stdout) as { participants: Array<{ talking: boolean }> }).participants;
  return { inRoom: ps.length, talking: ps.filter((p) => p.talking).length };
}

const inRoom = async (sw: SwitchProcess): Promise<number> => (await live(sw)).inRoom;

async function step(sw: SwitchProcess, args: Args, n: number, scenario: string, callers: string[], idleCpuPct: number): Promise<Row> {
  const joinS = Math.ceil(n / args.rate) + 5;
  const holdMs = (joinS + args.warmup + args.window + 5) * 1000;
  const uac = readFileSync(scenario, 'utf8').replaceAll('[hold]', String(holdMs));
  const scenarioFile = join(sw.dir, `uac-${n}.xml`);
  writeFileSync(scenarioFile, uac);
  const mine = (): number => processCpu(sw.child.pid!).total;
  await waitQuiet(args.quietBelow, mine);
  const sipp: Promise<SippResult> = runSipp({
    scenario: scenarioFile,
    target: `127.0.0.1:${sw.sipPort}`,
    rows: authRows(callers.slice(0, n), secretFor).map((r) => `${r};${ROOM}`),
    calls: n,
    rate: args.rate,
    limit: n,
    localPort: await freePort(),
    timeoutMs: holdMs + 60_000,
    extraArgs: ['-auth_uri', `${ROOM}@pbx.local`],
  });
  await until(`${n} callers are in room ${ROOM}`, async () => ((await inRoom(sw)) >= n ? true : undefined), (joinS + 30) * 1000, 1000);
  await new Promise((r) => setTimeout(r, args.warmup * 1000));

  const c0 = processCpu(sw.child.pid!);
  const m0 = machineTimes();
  const d0 = udpSockets(sw.child.pid!).drops;
  const t0 = performance.now();
  let minIn = Infinity;
  let maxIn = 0;
  let minTalking = Infinity;
  while (performance.now() - t0 < args.window * 1000) {
    const k = await live(sw);
    minIn = Math.min(minIn, k.inRoom);
    maxIn = Math.max(maxIn, k.inRoom);
    minTalking = Math.min(minTalking, k.talking);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpu = cpuDelta(c0, processCpu(sw.child.pid!));
  const busyS = machineBusySeconds(m0, machineTimes(), wallS);
  const drops = udpSockets(sw.child.pid!).drops - d0;
  const load = loadAverage();

  const result = await sipp;
  await until(`room ${ROOM} is empty again`, async () => ((await inRoom(sw)) === 0 ? true : undefined), 30_000, 1000);
  const cpuPct = (100 * cpu.seconds) / wallS;
  return {
    participants: n,
    cpuPct,
    cpuMsPerParticipant: (10 * (cpuPct - idleCpuPct)) / n,
    mainPct: (100 * cpu.main) / wallS,
    busiestThreadPct: (100 * cpu.busiestThread) / wallS,
    minInRoom: minIn,
    maxInRoom: maxIn,
    minTalking,
    udpDrops: drops,
    othersPct: (100 * (busyS - cpu.seconds)) / wallS,
    sippOk: result.successful,
    sippFailed: result.failed,
    loadAverage: load,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const most = Math.max(...args.participants);
  const sw = await startSwitchProcess({ log: { level: 'warn', pretty: false }, media: { workers: args.workers }, rtp: { ports: '10000-19999' } });
  const media = mkdtempSync(join(tmpdir(), 'bench-conference-'));
  try {
    const callers = Array.from({ length: most }, (_, i) => String(100000 + i));
    provision(sw.dir, callers.map((ext) => ({ ext, name: `Caller ${ext}`, devices: [ext], authAlgorithms: ['MD5' as const] })));
    for (const cmd of [['conference-range', 'set', '8000-8099'], ['room', 'add', ROOM, '--name', 'Load', '--public']]) {
      const r = await sw.cli(...cmd);
      if (r.code !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr.trim()}`);
    }
    // Each caller talks: a 1 kHz-ish tone at a different level per run would not change the
    // mixer's cost; one shared u-law WAV keeps SIPp's own load low.
    const wav = join(media, 'talk.wav');
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', wav, 'synth', '10', 'sine', '443.7', 'vol', '0.3']);
    const scenario = join(media, 'uac.xml');
    writeFileSync(scenario, readFileSync(scenarioPath('call-uac-digest.xml'), 'utf8').replaceAll('[wav]', wav));

    const c0 = processCpu(sw.child.pid!);
    await new Promise((r) => setTimeout(r, 5000));
    const idleCpuPct = (100 * (processCpu(sw.child.pid!).total - c0.total)) / 5;

    const rows: Row[] = [];
    for (const n of args.participants) {
      const row = await step(sw, args, n, scenario, callers, idleCpuPct);
      rows.push(row);
      console.log(`${n} participants: ${row.cpuPct.toFixed(1)} % of a core, ${row.cpuMsPerParticipant.toFixed(3)} ms CPU/s per participant`);
    }
    console.log(`\nOne public room, G.711 callers from SIPp (rtp_stream), ${args.workers} media worker(s), ${cpus().length} cores; idle switch ${idleCpuPct.toFixed(1)} % of a core`);
    console.table(
      rows.map((r) => ({
        participants: r.participants,
        'switch CPU %': r.cpuPct.toFixed(1),
        'main %': r.mainPct.toFixed(1),
        'mixer thread %': r.busiestThreadPct.toFixed(1),
        'ms CPU/s per participant (net)': r.cpuMsPerParticipant.toFixed(3),
        'in room min/max': `${r.minInRoom}/${r.maxInRoom}`,
        'talking (min)': r.minTalking,
        'UDP drops': r.udpDrops,
        'SIPp ok/failed': `${r.sippOk}/${r.sippFailed}`,
        'others %': r.othersPct.toFixed(0),
      })),
    );
    const out = join(repoRoot, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'conference.json'), JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, args, idleCpuPct, rows }, null, 2));
    console.log(`wrote ${join(out, 'conference.json')}`);
  } finally {
    await sw.stop();
    rmSync(media, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
