/**
 * Runs SIPp (a real, independent SIP peer) against the switch: a scenario file, an
 * injection CSV, a call count and rate. Exit code 0 means every call of the scenario
 * succeeded (SIPp's own verdict).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export interface SippOptions {
  scenario: string;
  target: string;
  /** Injection rows (field0;field1;...); read SEQUENTIAL. */
  rows?: string[];
  calls: number;
  rate?: number;
  /** Most calls in flight at once. */
  limit?: number;
  localPort?: number;
  transport?: 'u1' | 't1' | 'un' | 'tn';
  keys?: Record<string, string | number>;
  timeoutMs?: number;
  extraArgs?: string[];
  /** Where `<log>` actions write (-trace_logs -log_file), readable while SIPp runs. */
  logFile?: string;
  /** Called with SIPp's process id once it runs (to read its CPU from /proc). */
  onSpawn?: (pid: number) => void;
}

export interface SippResult {
  code: number | null;
  output: string;
  /** Successful and failed call counts from SIPp's final statistics, when found. */
  successful: number;
  failed: number;
  errors: string;
}

export const scenarioPath = (name: string): string => join(repoRoot, 'test', 'interop', 'sipp', name);

export function runSipp(o: SippOptions): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const args = ['-sf', o.scenario, o.target, '-m', String(o.calls), '-r', String(o.rate ?? 100), '-rp', '1000', '-i', '127.0.0.1'];
  args.push('-t', o.transport ?? 'u1', '-nostdin', '-timeout', `${Math.ceil((o.timeoutMs ?? 60_000) / 1000)}s`, '-trace_err', '-error_file', join(dir, 'errors.log'));
  args.push('-trace_stat', '-stf', join(dir, 'stat.csv'), '-fd', '1');
  if (o.limit) args.push('-l', String(o.limit));
  if (o.localPort) args.push('-p', String(o.localPort));
  for (const [k, v] of Object.entries(o.keys ?? {})) args.push('-key', k, String(v));
  if (o.rows) {
    const inf = join(dir, 'inject.csv');
    writeFileSync(inf, ['SEQUENTIAL', ...o.rows].join('\n') + '\n');
    args.push('-inf', inf);
  }
  if (o.logFile) args.push('-trace_logs', '-log_file', o.logFile);
  args.push(...(o.extraArgs ?? []));
  return new Promise((resolve) => {
    const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    if (child.pid !== undefined) o.onSpawn?.(child.pid);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), (o.timeoutMs ?? 60_000) + 15_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      const stats = readStats(join(dir, 'stat.csv'));
      const errors = existsSync(join(dir, 'errors.log')) ? readFileSync(join(dir, 'errors.log'), 'utf8').slice(0, 4000) : '';
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, output: output.slice(-4000), errors, ...stats });
    });
  });
}

function readStats(file: string): { successful: number; failed: number } {
  if (!existsSync(file)) return { successful: 0, failed: 0 };
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  if (lines.length < 2) return { successful: 0, failed: 0 };
  const head = lines[0]!.split(';');
  const last = lines[lines.length - 1]!.split(';');
  const col = (name: string) => Number(last[head.indexOf(name)] ?? 0);
  return { successful: col('SuccessfulCall(C)'), failed: col('FailedCall(C)') };
}

/** `[authentication ...]` injection rows for devices `ext` with `secret(ext)`. */
export function authRows(exts: string[], secret: (ext: string) => string): string[] {
  return exts.map((e) => `${e};[authentication username=${e} password=${secret(e)}]`);
}
