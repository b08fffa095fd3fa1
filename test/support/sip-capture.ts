/**
 * SIP as it went over the wire, captured by tshark on the loopback interface while a test
 * runs: the independent witness for headers a phone does not show (Reason on a CANCEL).
 * tshark needs root (or capture capabilities); `SipCapture.start` says in one line why it
 * cannot capture instead of throwing, so a test can name the problem in its failure.
 *
 *   const cap = await SipCapture.start([sw.sipPort]);
 *   ...
 *   const cancel = await cap.waitFor((m) => m.method === 'CANCEL' && m.dstPort === phonePort);
 *   cap.header(cancel, 'Reason')   // ['SIP;cause=200;text="Call completed elsewhere"']
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface CapturedSip {
  /** Seconds since the epoch, as tshark saw the frame. */
  time: number;
  srcPort: number;
  dstPort: number;
  /** Request method, or for a response the method of its CSeq. */
  method: string;
  /** Status code of a response; undefined for a request. */
  status: number | undefined;
  firstLine: string;
  /** Header fields in order, names as sent. */
  headers: Array<[string, string]>;
}

export class SipCapture {
  readonly messages: CapturedSip[] = [];
  private partial = '';
  private stderr = '';
  private waiters: Array<() => void> = [];

  private constructor(private readonly child: ChildProcess) {}

  /** Why tshark cannot capture here, or undefined when it can. */
  static unavailable(): string | undefined {
    const which = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' });
    if (which.status !== 0) return 'tshark is not installed (apt-get install tshark)';
    if (process.getuid?.() !== 0) return 'capturing on lo needs root (tshark/dumpcap)';
    return undefined;
  }

  /**
   * Starts tshark on `lo` for UDP to or from `ports` and resolves once it is capturing.
   * Every SIP message is decoded (tshark's SIP heuristic finds SIP on any port).
   */
  static async start(ports: number[]): Promise<SipCapture> {
    const why = SipCapture.unavailable();
    if (why) throw new Error(why);
    const filter = ports.map((p) => `udp port ${p}`).join(' or ');
    const fields = ['frame.time_epoch', 'udp.srcport', 'udp.dstport', 'sip.Request-Line', 'sip.Status-Line', 'sip.CSeq.method', 'sip.msg_hdr'];
    const args = ['-i', 'lo', '-l', '-n', '-f', filter, '-Y', 'sip', '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f', ...fields.flatMap((f) => ['-e', f])];
    const child = spawn('tshark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const cap = new SipCapture(child);
    child.stdout!.on('data', (d: Buffer) => cap.onData(d.toString()));
    child.stderr!.on('data', (d: Buffer) => {
      cap.stderr += d.toString();
      cap.wake();
    });
    child.on('exit', () => cap.wake());
    // tshark prints "Capturing on 'Loopback: lo'" once the capture runs.
    const deadline = Date.now() + 15_000;
    while (!/Capturing on/.test(cap.stderr)) {
      if (child.exitCode !== null) throw new Error(`tshark exited: ${cap.stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`tshark did not start capturing: ${cap.stderr.trim()}`);
      await cap.nap();
    }
    return cap;
  }

  private onData(text: string): void {
    this.partial += text;
    const lines = this.partial.split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      const m = parseLine(line);
      if (m) this.messages.push(m);
    }
    this.wake();
  }

  /** Values of header `name` (case-insensitive) in order. */
  header(m: CapturedSip, name: string): string[] {
    const n = name.toLowerCase();
    return m.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
  }

  async waitFor(pred: (m: CapturedSip) => boolean, timeoutMs = 10_000, what = 'a SIP message'): Promise<CapturedSip> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.find(pred);
      if (hit) return hit;
      if (this.child.exitCode !== null) throw new Error(`tshark exited: ${this.stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`no ${what} captured within ${timeoutMs} ms; captured: ${this.summary()}`);
      await this.nap();
    }
  }

  /** Every message matching `pred` (after waiting `settleMs` for stragglers). */
  async all(pred: (m: CapturedSip) => boolean, settleMs = 300): Promise<CapturedSip[]> {
    await new Promise((r) => setTimeout(r, settleMs));
    return this.messages.filter(pred);
  }

  /**
   * Index of the next message once the capture has been quiet for `quietMs` (tshark hands
   * frames over with a delay): messages of what happened before are all in by then.
   */
  async mark(quietMs = 500, timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let n = this.messages.length;
    let since = Date.now();
    while (Date.now() - since < quietMs && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (this.messages.length !== n) {
        n = this.messages.length;
        since = Date.now();
      }
    }
    return this.messages.length;
  }

  /** One line per message: `src>dst first-line`, for failure messages. */
  summary(last = 30): string {
    return this.messages
      .slice(-last)
      .map((m) => `${m.srcPort}>${m.dstPort} ${m.firstLine}`)
      .join(' | ');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGINT');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }

  private wake(): void {
    this.waiters.splice(0).forEach((w) => w());
  }

  private nap(): Promise<void> {
    return new Promise<void>((r) => {
      this.waiters.push(r);
      setTimeout(r, 100);
    });
  }
}

/** One tshark fields line; sip.msg_hdr arrives with CRLFs written as the two characters `\r\n`. */
function parseLine(line: string): CapturedSip | undefined {
  const [time, src, dst, requestLine, statusLine, cseqMethod, hdr] = line.split('\t');
  if (!time || (!requestLine && !statusLine)) return undefined;
  const headers: Array<[string, string]> = [];
  for (const h of (hdr ?? '').split('\\r\\n')) {
    const colon = h.indexOf(':');
    if (colon > 0) headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
  }
  const status = statusLine ? Number(/^SIP\/2\.0 (\d{3})/.exec(statusLine)?.[1]) : undefined;
  return {
    time: Number(time),
    srcPort: Number(src),
    dstPort: Number(dst),
    method: requestLine ? requestLine.split(' ')[0]! : (cseqMethod ?? ''),
    status,
    firstLine: requestLine || statusLine!,
    headers,
  };
}
