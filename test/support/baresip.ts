/**
 * A real baresip 1.0 user agent for interop tests, driven headless through its ctrl_tcp
 * module (netstring-framed JSON commands and events). Audio comes from a WAV file
 * (aufile) and what it hears is written by sndfile to `dump-*-dec.wav` in `dir`.
 * Recipe: ../shared/PEERS.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface BaresipOptions {
  /** Account line, e.g. `<sip:1001@127.0.0.1:5060>;auth_pass=pw;regint=3600`. */
  account: string;
  /** 8 kHz mono WAV to send as microphone audio (silence when absent). */
  source?: string;
  rtpPorts?: [number, number];
  /** Extra config lines. */
  config?: string[];
  /** `-s`: baresip prints every SIP message it sends and receives into `output`. */
  sipTrace?: boolean;
}

export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  param?: string;
  [k: string]: unknown;
}

export class Baresip {
  readonly events: BaresipEvent[] = [];
  output = '';
  private ctrl: Socket | undefined;
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private tokens = 0;
  private responses = new Map<string, { ok: boolean; data: string }>();

  private constructor(
    readonly dir: string,
    readonly sipPort: number,
    private readonly ctrlPort: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(o: BaresipOptions): Promise<Baresip> {
    const dir = mkdtempSync(join(tmpdir(), 'baresip-'));
    mkdirSync(join(dir, 'snd'));
    const sipPort = await freePort(41000, 44999);
    const ctrlPort = await freePort(45000, 45999);
    const [rtpMin, rtpMax] = o.rtpPorts ?? [46000 + (sipPort % 100) * 20, 46000 + (sipPort % 100) * 20 + 19];
    const lines = [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      'net_interface 127.0.0.1',
      `rtp_ports ${rtpMin}-${rtpMax}`,
      o.source ? `audio_source aufile,${o.source}` : 'audio_source aubridge,nil',
      'audio_player aubridge,nil',
      'audio_alert aubridge,nil',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module aubridge.so',
      'module sndfile.so',
      'module ctrl_tcp.so',
      'module_app account.so',
      'module_app menu.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      `snd_path ${join(dir, 'snd')}`,
      ...(o.config ?? []),
    ];
    writeFileSync(join(dir, 'config'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 'accounts'), o.account + '\n');
    writeFileSync(join(dir, 'contacts'), '');
    const child = spawn('baresip', ['-f', dir, ...(o.sipTrace ? ['-s'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    const b = new Baresip(dir, sipPort, ctrlPort, child);
    child.stdout!.on('data', (d) => (b.output += d));
    child.stderr!.on('data', (d) => (b.output += d));
    await b.connectCtrl();
    return b;
  }

  private async connectCtrl(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      try {
        this.ctrl = await new Promise<Socket>((resolve, reject) => {
          const s = connect(this.ctrlPort, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        this.ctrl.on('data', (d: Buffer) => this.onData(d));
        this.ctrl.on('error', () => {});
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`baresip ctrl_tcp did not come up: ${this.output.slice(-500)}`);
  }

  private onData(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.buffer.subarray(0, colon).toString());
      if (this.buffer.length < colon + 1 + len + 1) return;
      const json = this.buffer.subarray(colon + 1, colon + 1 + len).toString();
      this.buffer = this.buffer.subarray(colon + 1 + len + 1);
      const msg = JSON.parse(json) as Record<string, unknown>;
      if (msg.event) this.events.push(msg as BaresipEvent);
      if (msg.response && typeof msg.token === 'string') this.responses.set(msg.token, { ok: msg.ok === true, data: String(msg.data ?? '') });
      this.waiters.splice(0).forEach((w) => w());
    }
  }

  /** Send a ctrl_tcp command and wait for its response. */
  async command(command: string, params = '', timeoutMs = 5000): Promise<{ ok: boolean; data: string }> {
    const token = `t${++this.tokens}`;
    const json = JSON.stringify({ command, params, token });
    this.ctrl!.write(`${Buffer.byteLength(json)}:${json},`);
    return this.until(() => this.responses.get(token), timeoutMs, `response to ${command}`);
  }

  /**
   * Sends DTMF keys as RFC 4733 events, one at a time 350 ms apart: baresip 1.0's
   * `sndcode 123` starts the next event before ending the last.
   */
  async sendKeys(keys: string): Promise<void> {
    for (const k of keys) {
      const r = await this.command('sndcode', k);
      if (!r.ok) throw new Error(`baresip sndcode ${k}: ${r.data}`);
      await new Promise((res) => setTimeout(res, 350));
    }
  }

  /**
   * Waits until the account's registration is OK, as baresip itself reports it (`reginfo`);
   * an event may have passed before the control connection was up, so this asks instead.
   */
  async waitRegistered(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = (await this.command('reginfo')).data.replace(/\x1b\[[0-9;]*m/g, '');
      if (/\bOK\b/.test(info)) return info;
      if (Date.now() > deadline) throw new Error(`baresip did not register: ${info.trim()} ${this.output.slice(-400)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The first event matching `pred` at index `from` (see `mark`) or later. */
  async waitEvent(pred: (e: BaresipEvent) => boolean, timeoutMs = 10_000, from = 0): Promise<BaresipEvent> {
    return this.until(() => this.events.slice(from).find(pred), timeoutMs, 'baresip event');
  }

  /** Index of the next event, for `waitEvent(pred, t, from)` and `eventsSince`. */
  mark(): number {
    return this.events.length;
  }

  eventsSince(from: number, type?: string): BaresipEvent[] {
    return this.events.slice(from).filter((e) => type === undefined || e.type === type);
  }

  /**
   * The newest recording sndfile wrote: `dec` is what baresip received (decoded), `enc`
   * what it sent. Files are named dump-<date>-<time>-<dec|enc>.wav, one pair per call.
   */
  latestRecording(kind: 'dec' | 'enc' = 'dec'): string | undefined {
    const files = readdirSync(join(this.dir, 'snd'))
      .filter((f) => f.endsWith(`-${kind}.wav`))
      .sort();
    return files.length ? join(this.dir, 'snd', files[files.length - 1]!) : undefined;
  }

  /** How many calls sndfile has recorded so far. */
  recordingCount(): number {
    return readdirSync(join(this.dir, 'snd')).filter((f) => f.endsWith('-dec.wav')).length;
  }

  private async until<T>(get: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = get();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${this.events.map((e) => e.type).join(',')}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  async stop(): Promise<void> {
    try {
      await this.command('quit', '', 1000);
    } catch {
      // already gone
    }
    const exited = new Promise<void>((r) => (this.child.exitCode !== null ? r() : this.child.once('exit', () => r())));
    const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
    this.ctrl?.destroy();
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
