// Helpers for the control socket tests (not a test file): temp socket paths, a logger whose
// lines the test can read, a raw client that speaks bytes, and waiting without sleeping.
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/log/logger.js';

/** A fresh data directory (short: socket paths must stay under 108 bytes). */
export const tempDataDir = () => mkdtempSync(join(tmpdir(), 'ss-ctl-'));

export interface CapturedLog {
  logger: Logger;
  entries: Array<Record<string, unknown>>;
  events(): string[];
}

export function captureLog(): CapturedLog {
  const entries: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) entries.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination: sink });
  return { logger, entries, events: () => entries.map((e) => String(e.event)) };
}

/** A client that sends raw bytes and collects the lines it gets back. */
export class RawClient {
  readonly lines: string[] = [];
  closed = false;
  private buffered = '';
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffered += d.toString('utf8');
      let lf: number;
      while ((lf = this.buffered.indexOf('\n')) !== -1) {
        this.lines.push(this.buffered.slice(0, lf));
        this.buffered = this.buffered.slice(lf + 1);
      }
      this.wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static open(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Resolves once `n` lines arrived (or the connection closed: then with what there is). */
  async lineCount(n: number): Promise<string[]> {
    while (this.lines.length < n && !this.closed) await new Promise<void>((r) => this.waiters.push(r));
    return this.lines;
  }

  async closedByServer(): Promise<void> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Resolves when `check()` is true, re-checking on each turn of the event loop (no sleeps). */
export async function until(check: () => boolean, what: string, turns = 100_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (check()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error(`never happened: ${what}`);
}

/** A promise with its resolve, for handlers the test releases. */
export function deferred<T = unknown>(): { promise: Promise<T>; resolve(v: T): void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Asserts that `promise` rejects with an error matching `expected` (a pattern, or a check). */
export async function rejects(promise: Promise<unknown>, expected: RegExp | ((err: Error) => boolean)): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  if (!(error instanceof Error)) throw new Error(`expected a rejection, got ${error === undefined ? 'a result' : String(error)}`);
  const ok = typeof expected === 'function' ? expected(error) : expected.test(error.message);
  if (!ok) throw new Error(`unexpected rejection: ${error.name}: ${error.message}`);
}
