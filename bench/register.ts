// REGISTER with digest authentication, driven by SIPp against the real switch process.
//
//   npm run bench:register -- [--devices 3000] [--rates 250,500,1000] [--rounds 3]
//
// For each SIPp call rate it runs two scenarios over `--devices` devices:
//   register  REGISTER -> 401 -> REGISTER with credentials -> 200 (a phone's first registration)
//   refresh   one challenge, then 5 authenticated refreshes reusing the nonce with nc+1
//             (how phones keep their registration: no new challenge each time)
// and reads the switch process's CPU time (utime + stime from /proc) around each run.
// "CPU per authenticated REGISTER" charges ALL of the switch's CPU in the refresh run
// (the challenges included) to the authenticated REGISTERs only, so it is an upper bound.
// Prints a table and writes bench/results/register.json. Medians over --rounds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port.js';
import { repoRoot } from '../test/support/paths.js';
import { provision, secretFor } from '../test/support/provision.js';
import { authRows, runSipp, scenarioPath } from '../test/support/sipp.js';
import { startSwitchProcess, type SwitchProcess } from '../test/support/switch-process.js';

interface Args {
  devices: number;
  rates: number[];
  rounds: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { devices: 3000, rates: [250, 500, 1000], rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--devices' && v) a.devices = Number(v);
    if (argv[i] === '--rates' && v) a.rates = v.split(',').map(Number);
    if (argv[i] === '--rounds' && v) a.rounds = Number(v);
  }
  return a;
}

interface Run {
  scenario: 'register' | 'refresh';
  rate: number;
  requests: number;
  authenticated: number;
  failedCalls: number;
  wallSeconds: number;
  cpuSeconds: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function runOnce(sw: SwitchProcess, exts: string[], scenario: Run['scenario'], rate: number): Promise<Run> {
  const perCall = scenario === 'register' ? { requests: 2, authenticated: 1 } : { requests: 6, authenticated: 5 };
  const cpu0 = sw.cpuSeconds();
  const t0 = process.hrtime.bigint();
  const r = await runSipp({
    scenario: scenarioPath(scenario === 'register' ? 'register-digest.xml' : 'register-refresh.xml'),
    target: `127.0.0.1:${sw.sipPort}`,
    rows: authRows(exts, secretFor),
    calls: exts.length,
    rate,
    limit: 200,
    localPort: await freePort(),
    keys: { expires: 3600 },
    timeoutMs: 300_000,
  });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuSeconds = sw.cpuSeconds() - cpu0;
  return {
    scenario,
    rate,
    requests: exts.length * perCall.requests,
    authenticated: r.successful * perCall.authenticated,
    failedCalls: r.failed + (r.code === 0 ? 0 : Math.max(0, exts.length - r.successful - r.failed)),
    wallSeconds,
    cpuSeconds,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sw = await startSwitchProcess({ log: { level: 'warn', pretty: false } });
  const exts = Array.from({ length: args.devices }, (_, i) => String(100000 + i));
  provision(
    sw.dir,
    exts.map((ext) => ({ ext, name: `Bench ${ext}`, devices: [ext] })),
  );
  const rows: Array<Record<string, number | string>> = [];
  try {
    for (const rate of args.rates) {
      for (const scenario of ['register', 'refresh'] as const) {
        const runs: Run[] = [];
        for (let k = 0; k < args.rounds; k++) runs.push(await runOnce(sw, exts, scenario, rate));
        const cpuPerRequest = runs.map((r) => (r.cpuSeconds * 1e6) / r.requests);
        const cpuPerAuth = runs.map((r) => (r.cpuSeconds * 1e6) / Math.max(1, r.authenticated));
        rows.push({
          scenario,
          callsPerSecond: rate,
          requestsPerSecond: Math.round(median(runs.map((r) => r.requests / r.wallSeconds))),
          failedCalls: runs.reduce((s, r) => s + r.failedCalls, 0),
          cpuUsPerRequest: Number(median(cpuPerRequest).toFixed(1)),
          cpuUsPerAuthenticatedRegister: Number(median(cpuPerAuth).toFixed(1)),
          switchCorePercent: Number(median(runs.map((r) => (100 * r.cpuSeconds) / r.wallSeconds)).toFixed(1)),
        });
        console.error(`done: ${scenario} at ${rate} calls/s`);
      }
    }
  } finally {
    await sw.stop();
  }
  console.log(`\nREGISTER with digest (SIPp -> switch), ${args.devices} devices, median of ${args.rounds} rounds, node ${process.version}`);
  console.table(rows);
  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'register.json'), JSON.stringify({ date: new Date().toISOString(), args, rows }, null, 2));
  console.log(`written ${join(out, 'register.json')}`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
