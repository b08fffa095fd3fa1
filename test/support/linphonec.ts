/**
 * A real linphonec 5.1 (linphone-cli) user agent for interop tests, driven through its
 * stdin command prompt. Needs HOME with .local/share/linphone (its database lives there).
 * Recipe: ../shared/PEERS.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface LinphoneOptions {
  user: string;
  password: string;
  /** Registrar / outbound proxy, e.g. `127.0.0.1:5060`. */
  server: string;
  domain: string;
  expires?: number;
  rtpPorts?: [number, number];
  /** Extra linphonerc lines by section. */
  sections?: Record<string, string[]>;
}

export class Linphonec {
  output = '';
  private waiters: Array<() => void> = [];

  private constructor(
    readonly home: string,
    readonly sipPort: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(o: LinphoneOptions): Promise<Linphonec> {
    const home = mkdtempSync(join(tmpdir(), 'linphonec-'));
    mkdirSync(join(home, '.local', 'share', 'linphone'), { recursive: true });
    const sipPort = await freePort(41000, 44999);
    const [a, b] = o.rtpPorts ?? [47000 + (sipPort % 100) * 20, 47000 + (sipPort % 100) * 20 + 19];
    const sections: Record<string, string[]> = {
      sip: [`sip_port=${sipPort}`, 'sip_tcp_port=0', 'sip_tls_port=0', 'default_proxy=0', 'register_only_when_network_is_up=0', 'ipv6_enabled=0'],
      rtp: [`audio_rtp_port=${a}-${b}`],
      net: ['firewall_policy=0', 'nat_policy_ref='],
      sound: ['echocancellation=0'],
      proxy_0: [
        `reg_proxy=<sip:${o.server}>`,
        `reg_identity=<sip:${o.user}@${o.domain}>`,
        `reg_expires=${o.expires ?? 3600}`,
        'reg_sendregister=1',
        'publish=0',
        'dial_escape_plus=0',
      ],
      auth_info_0: [`username=${o.user}`, `userid=${o.user}`, `passwd=${o.password}`, `realm=${o.domain}`],
    };
    for (const [k, v] of Object.entries(o.sections ?? {})) sections[k] = [...(sections[k] ?? []), ...v];
    const rc = Object.entries(sections)
      .map(([name, lines]) => `[${name}]\n${lines.join('\n')}\n`)
      .join('\n');
    writeFileSync(join(home, 'linphonerc'), rc);
    const child = spawn('linphonec', ['-c', join(home, 'linphonerc')], {
      env: { ...process.env, HOME: home },
      cwd: home,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const l = new Linphonec(home, sipPort, child);
    const onData = (d: Buffer) => {
      l.output += d.toString();
      l.waiters.splice(0).forEach((w) => w());
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    return l;
  }

  send(command: string): void {
    this.child.stdin!.write(command + '\n');
  }

  /** Waits for `re` in the output from offset `from` on (default: all of it). */
  async waitOutput(re: RegExp, timeoutMs = 15_000, from = 0): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.output.slice(from));
      if (m) return m;
      if (this.child.exitCode !== null) throw new Error(`linphonec exited: ${this.output.slice(-800)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; output: ${this.output.slice(-800)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  /** Asks `status register` until linphonec says it is registered (it prints nothing on its own). */
  async waitRegistered(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mark = this.output.length;
      this.send('status register');
      try {
        await this.waitOutput(/registered, identity=/, 1000, mark);
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.send('quit');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }

  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
