/**
 * Starts the real switch (`softswitch start`) as a child process with its own config file
 * and data directory under a temp folder, the way an operator runs it, and drives the CLI
 * against the same config. Interop tests use it; nothing here fakes the switch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './free-port.js';
import { repoRoot } from './paths.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SwitchProcess {
  dir: string;
  configPath: string;
  sipPort: number;
  wsPort: number;
  tlsPort: number;
  /** WSS listens only when the config names a TLS certificate and key. */
  wssPort: number;
  child: ChildProcess;
  /** Every JSON log line the switch printed so far. */
  logs: Array<Record<string, unknown>>;
  waitForLog(pred: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  cli(...args: string[]): Promise<CliResult>;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** CPU seconds (user + system) the switch process has used, from /proc. */
  cpuSeconds(): number;
  alive(): boolean;
}

const BIN = join(repoRoot, 'bin', 'softswitch.js');

export function runCli(configPath: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export async function startSwitchProcess(extra: Record<string, unknown> = {}, opts: { dir?: string } = {}): Promise<SwitchProcess> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'softswitch-'));
  const sipPort = await freePort();
  const wsPort = await freePort();
  const tlsPort = await freePort();
  const wssPort = await freePort();
  const config = {
    sip: { listen: '127.0.0.1', port: sipPort, tlsPort, wsPort, wssPort, domain: 'pbx.local', ...((extra.sip as object) ?? {}) },
    // Below the kernel's ephemeral ports (32768-60999) and clear of freePort's 20000-29999,
    // the media engine tests' 30200-30999 and the phones' 41000-47999.
    rtp: { ports: '31000-32699' },
    data: join(dir, 'data'),
    log: { level: 'info', pretty: false },
    media: { workers: 1 },
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'sip')),
  };
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, stringify(config));
  const child = spawn(process.execPath, [BIN, 'start', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      try {
        logs.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        logs.push({ raw: l });
      }
    }
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  child.on('exit', () => {
    exited = true;
    waiters.splice(0).forEach((w) => w());
  });

  const waitForLog = async (pred: (l: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = logs.find(pred);
      if (hit) return hit;
      if (exited) throw new Error(`switch exited: ${stderr.trim() || JSON.stringify(logs.slice(-3))}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for a log line; last: ${JSON.stringify(logs.slice(-3))} ${stderr}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };

  const sw: SwitchProcess = {
    dir,
    configPath,
    sipPort,
    wsPort,
    tlsPort,
    wssPort,
    child,
    logs,
    waitForLog,
    cli: (...args) => runCli(configPath, args),
    stop: async () => {
      if (exited) return child.exitCode;
      const done = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const code = await done;
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
      return code;
    },
    cpuSeconds: () => processCpuSeconds(child.pid!),
    alive: () => !exited,
  };
  try {
    await waitReady(sipPort, () => exited, () => stderr);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return sw;
}

/** Ready means answering SIP: OPTIONS over UDP until a response comes (any log level works). */
async function waitReady(port: number, exited: () => boolean, stderr: () => string): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const local = sock.address().port;
  let answered = false;
  sock.on('message', () => (answered = true));
  try {
    for (let i = 0; i < 200 && !answered; i++) {
      if (exited()) throw new Error(`switch exited: ${stderr().trim()}`);
      const ping =
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bKready${i}\r\n` +
        `From: <sip:probe@127.0.0.1>;tag=r${i}\r\nTo: <sip:127.0.0.1:${port}>\r\nCall-ID: ready-${local}-${i}\r\n` +
        `CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;
      sock.send(ping, port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!answered) throw new Error(`switch did not answer OPTIONS within 20 s: ${stderr().trim()}`);
  } finally {
    sock.close();
  }
}

/** utime + stime of a process in seconds (Linux /proc/<pid>/stat fields 14 and 15). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux
}

