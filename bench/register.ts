// REGISTER with digest authentication, driven by SIPp against the real switch process.
//
//   npm run bench:register -- [--devices 3000] [--rates 500,1000,2000] [--rounds 3] [--warmup 2]
//                             [--scenarios register,refresh,options]
//
// For each SIPp call rate it runs these scenarios over `--devices` devices:
//   register  REGISTER -> 401 -> REGISTER with credentials -> 200 (a phone's first registration)
//   refresh   one challenge, then 5 authenticated refreshes reusing the nonce with nc+1
//             (how phones keep their registration: no new challenge each time)
//   options   6 OPTIONS per call (RFC 3261 §11): the floor every request pays - UDP in and
//             out, parse, checks, transaction, response - without digest or registrar
// and reads the switch process's CPU time (utime and stime from /proc, every thread: GC
// helpers and the media worker included) around each run.
// "CPU per authenticated REGISTER" charges ALL of the switch's CPU in a run (the challenges
// included) to the authenticated REGISTERs only, so it is an upper bound.
// `--warmup` unmeasured refresh runs come first (JIT, caches, a Timer J population as under
// load). The machine's total busy time is read from /proc/stat around each run, in percent of
// one core like switchCorePercent: what ran beside the switch (SIPp, and anything else)
// is the difference; steal is time the hypervisor gave to other guests. /proc/stat is
// sampled at each timer tick, so these two are approximate; the switch's own CPU (utime +
// stime) adds up to the scheduler's exact runtime (its user/system split is tick-sampled).
// Prints a table and writes bench/results/register.json. Medians over --rounds.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port.js';
import { repoRoot } from '../test/support/paths.js';
import { provision, secretFor } from '../test/support/provision.js';
import { authRows, runSipp, scenarioPath } from '../test/support/sipp.js';
import { startSwitchProcess, type SwitchProcess } from '../test/support/switch-process.js';

type Scenario = 'register' | 'refresh' | 'options';

interface Args {
  devices: number;
  rates: number[];
  rounds: number;
  warmup: number;
  scenarios: Scenario[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = { devices: 3000, rates: [500, 1000, 2000], rounds: 3, warmup: 2, scenarios: ['register', 'refresh', 'options'] };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--devices' && v) a.devices = Number(v);
    if (argv[i] === '--rates' && v) a.rates = v.split(',').map(Number);
    if (argv[i] === '--rounds' && v) a.rounds = Number(v);
    if (argv[i] === '--warmup' && v) a.warmup = Number(v);
    if (argv[i] === '--scenarios' && v) a.scenarios = v.split(',') as Scenario[];
  }
  return a;
}

/** Requests and authenticated REGISTERs per SIPp call of each scenario. */
const PER_CALL: Record<Scenario, { requests: number; authenticated: number }> = {
  register: { requests: 2, authenticated: 1 },
  refresh: { requests: 6, authenticated: 5 },
  options: { requests: 6, authenticated: 0 },
};

/** Six OPTIONS per call, one after the other's 200, as the refresh scenario sends its REGISTERs. */
function optionsScenario(): string {
  const one = (cseq: number) => `
  <send retrans="500"><![CDATA[
      OPTIONS sip:pbx.local SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];rport;branch=[branch]
      From: <sip:[field0]@pbx.local>;tag=[pid]SIPpTag[call_number]
      To: <sip:pbx.local>
      Call-ID: [call_id]
      CSeq: ${cseq} OPTIONS
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>
  <recv response="200"/>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="OPTIONS x6">${[1, 2, 3, 4, 5, 6].map(one).join('')}\n</scenario>\n`;
}

interface Run {
  scenario: Scenario;
  rate: number;
  requests: number;
  authenticated: number;
  failedCalls: number;
  wallSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  machineBusy: number;
  steal: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const TICK = 0.01; // USER_HZ = 100 on Linux

/** utime and stime of a process, seconds. */
function processTimes(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) * TICK, system: Number(f[12]) * TICK };
}

/**
 * Busy, stolen and total jiffies of the whole machine (/proc/stat `cpu` line: user nice system
 * idle iowait irq softirq steal; guest time is already inside user).
 */
function machineTimes(): { busy: number; steal: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]! - f[7]!, steal: f[7]!, total };
}

/**
 * SIPp always sends from the same port, so every run refreshes the bindings the previous ones
 * made (the Contact is sip:<ext>@127.0.0.1:<port>), as phones do; a new port per run would add
 * a binding per run until the registrar's cap per AOR (10) refuses them with 403.
 */
async function runOnce(sw: SwitchProcess, exts: string[], scenario: Scenario, rate: number, scenarioFile: Record<Scenario, string>, sippPort: number): Promise<Run> {
  const perCall = PER_CALL[scenario];
  const pid = sw.child.pid!;
  const cpu0 = processTimes(pid);
  const m0 = machineTimes();
  const t0 = process.hrtime.bigint();
  const r = await runSipp({
    scenario: scenarioFile[scenario],
    target: `127.0.0.1:${sw.sipPort}`,
    rows: authRows(exts, secretFor),
    calls: exts.length,
    rate,
    limit: 200,
    localPort: sippPort,
    keys: { expires: 3600 },
    timeoutMs: 300_000,
  });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.code !== 0) {
    const logs = sw.logs.slice(-5).map((l) => JSON.stringify(l).slice(0, 400)).join('\n');
    console.error(`SIPp ${scenario} at ${rate} calls/s: exit ${r.code}, ${r.failed} failed\n${(r.errors || r.output).slice(0, 1500)}\nlast switch logs:\n${logs}`);
  }
  const cpu1 = processTimes(pid);
  const m1 = machineTimes();
  return {
    scenario,
    rate,
    requests: exts.length * perCall.requests,
    authenticated: r.successful * perCall.authenticated,
    failedCalls: r.failed + (r.code === 0 ? 0 : Math.max(0, exts.length - r.successful - r.failed)),
    wallSeconds,
    userSeconds: cpu1.user - cpu0.user,
    systemSeconds: cpu1.system - cpu0.system,
    machineBusy: (cpus().length * (m1.busy - m0.busy)) / Math.max(1, m1.total - m0.total),
    steal: (cpus().length * (m1.steal - m0.steal)) / Math.max(1, m1.total - m0.total),
  };
}

function row(runs: Run[]): Record<string, number | string> {
  const { scenario, rate } = runs[0]!;
  const us = (r: Run, s: number) => (s * 1e6) / r.requests;
  const cpu = (r: Run) => r.userSeconds + r.systemSeconds;
  const out: Record<string, number | string> = {
    scenario,
    callsPerSecond: rate,
    requestsPerSecond: Math.round(median(runs.map((r) => r.requests / r.wallSeconds))),
    failedCalls: runs.reduce((s, r) => s + r.failedCalls, 0),
    cpuUsPerRequest: Number(median(runs.map((r) => us(r, cpu(r)))).toFixed(1)),
    userUsPerRequest: Number(median(runs.map((r) => us(r, r.userSeconds))).toFixed(1)),
    systemUsPerRequest: Number(median(runs.map((r) => us(r, r.systemSeconds))).toFixed(1)),
  };
  if (PER_CALL[scenario].authenticated > 0) {
    out.cpuUsPerAuthenticatedRegister = Number(median(runs.map((r) => (cpu(r) * 1e6) / Math.max(1, r.authenticated))).toFixed(1));
  }
  out.switchCorePercent = Number(median(runs.map((r) => (100 * cpu(r)) / r.wallSeconds)).toFixed(1));
  out.machineBusyCorePercent = Number(median(runs.map((r) => 100 * r.machineBusy)).toFixed(1));
  out.stealCorePercent = Number(median(runs.map((r) => 100 * r.steal)).toFixed(1));
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), 'bench-register-'));
  const optionsFile = join(scratch, 'options-x6.xml');
  writeFileSync(optionsFile, optionsScenario());
  const scenarioFile: Record<Scenario, string> = {
    register: scenarioPath('register-digest.xml'),
    refresh: scenarioPath('register-refresh.xml'),
    options: optionsFile,
  };
  const sw = await startSwitchProcess({ log: { level: 'warn', pretty: false } });
  const exts = Array.from({ length: args.devices }, (_, i) => String(100000 + i));
  provision(
    sw.dir,
    exts.map((ext) => ({ ext, name: `Bench ${ext}`, devices: [ext] })),
  );
  const rows: Array<Record<string, number | string>> = [];
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
  try {
    const sippPort = await freePort();
    for (let k = 0; k < args.warmup; k++) await runOnce(sw, exts, 'refresh', args.rates[0]!, scenarioFile, sippPort);
    for (const rate of args.rates) {
      for (const scenario of args.scenarios) {
        const runs: Run[] = [];
        for (let k = 0; k < args.rounds; k++) runs.push(await runOnce(sw, exts, scenario, rate, scenarioFile, sippPort));
        rows.push(row(runs));
        console.error(`done: ${scenario} at ${rate} calls/s`);
      }
    }
  } finally {
    await sw.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\nREGISTER with digest and OPTIONS (SIPp -> switch over UDP on loopback), ${args.devices} devices, ${args.warmup} warm-up runs, median of ${args.rounds} rounds`);
  console.log(`node ${process.version}, ${cpus().length} cores; load average before: ${loadBefore}`);
  console.table(rows);
  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'register.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, loadBefore, args, rows }, null, 2));
  console.log(`written ${join(out, 'register.json')}`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
