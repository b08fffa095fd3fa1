// Test runner: runs every compiled `*.test.js` file of the chosen suites in its own
// process (uvu suites call `process.exit` on failure), collects uvu's totals and prints
// one final line `N passed, N failed` for CI.
//
//   node dist/test/run.js                 all suites (unit, then interop)
//   node dist/test/run.js unit            one suite
//   node dist/test/run.js unit registrar  files whose path contains "registrar"
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePeers } from './support/peers.js';

const SUITES = ['unit', 'interop'] as const;
type Suite = (typeof SUITES)[number];
/** Wall-clock cap per test file; a hung file counts as one failure, it never stalls CI. */
const FILE_TIMEOUT_MS: Record<Suite, number> = { unit: 120_000, interop: 300_000 };

interface FileResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  output: string;
  ms: number;
}

const here = dirname(fileURLToPath(import.meta.url));

function findTests(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(findTests(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

function count(output: string, label: string): number | undefined {
  const m = new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(output);
  return m ? Number(m[1]) : undefined;
}

function runFile(file: string, suite: Suite): Promise<FileResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', file], {
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    let graceTimer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      // uvu prints its totals when the suite is over; a file whose sockets or timers keep it
      // alive after that is not allowed to stall the run.
      if (!graceTimer && /^\s*Duration:/m.test(output)) {
        graceTimer = setTimeout(() => {
          output += '\n[run] still running 5 s after its summary: killed (a handle was left open)\n';
          killGroup();
        }, 5000);
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const killGroup = (): void => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      output += `\n[run] killed after ${FILE_TIMEOUT_MS[suite] / 1000} s\n`;
      killGroup();
    }, FILE_TIMEOUT_MS[suite]);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (graceTimer) clearTimeout(graceTimer);
      const total = count(output, 'Total');
      const passed = count(output, 'Passed') ?? 0;
      const skipped = count(output, 'Skipped') ?? 0;
      let failed = total === undefined ? 1 : total - passed - skipped;
      // A file that reported no failure but still exited badly (a crash, a handle left open) fails once.
      if (failed === 0 && code !== 0) failed = 1;
      resolve({ file, passed, failed, skipped, output, ms: Date.now() - started });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const suites = SUITES.filter((s) => args.length === 0 || args[0] === s);
  const filter = args[0] && (SUITES as readonly string[]).includes(args[0]) ? args[1] : args[0];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const suite of suites.length ? suites : SUITES) {
    const files = findTests(join(here, suite)).filter((f) => !filter || f.includes(filter));
    if (suite === 'interop' && files.length) {
      const problem = ensurePeers((line) => console.log(line));
      if (problem) {
        // Without the peers every interop file would fail on its own; say it once, count it once.
        console.log(`FAIL interop: ${problem}`);
        failed++;
        continue;
      }
    }
    for (const file of files) {
      const r = await runFile(file, suite);
      passed += r.passed;
      failed += r.failed;
      skipped += r.skipped;
      const name = relative(here, file);
      const tag = r.failed ? 'FAIL' : 'ok  ';
      console.log(`${tag} ${name}  ${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}  (${(r.ms / 1000).toFixed(1)} s)`);
      if (r.failed) console.log(r.output.replace(/^/gm, '     | '));
    }
  }
  if (skipped) console.log(`${skipped} skipped`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

void main();
