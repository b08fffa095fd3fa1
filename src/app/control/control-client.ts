/**
 * Client side of the control socket (control-protocol.ts), for the CLI: connect, call
 * methods (pipelined, matched by id), close. Every wait has a timeout, so a hung switch
 * costs the operator seconds, not a stuck terminal.
 */
import { connect, type Socket } from 'node:net';
import { MAX_RESPONSE_BYTES, type RequestId } from './control-protocol.js';
import { LineSplitter } from './line-splitter.js';

export const DEFAULT_CONTROL_TIMEOUT_MS = 5000;

export type ConnectFailure = 'absent' | 'refused' | 'denied' | 'timeout' | 'other';

/** No switch to talk to; the message is one line for the operator. */
export class ControlConnectError extends Error {
  constructor(
    readonly reason: ConnectFailure,
    readonly socketPath: string,
    detail?: string,
  ) {
    super(connectMessage(reason, socketPath, detail));
    this.name = 'ControlConnectError';
  }
}

/** The switch answered with an error line. */
export class ControlCallError extends Error {
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(message);
    this.name = 'ControlCallError';
  }
}

/** No answer in time, or the connection ended before the answer. */
export class ControlTimeoutError extends Error {
  constructor(readonly method: string, timeoutMs: number) {
    super(`the switch did not answer ${method} within ${timeoutMs / 1000} s`);
    this.name = 'ControlTimeoutError';
  }
}

export class ControlClosedError extends Error {
  constructor(readonly method: string, why = 'the switch closed the control connection') {
    super(`${why} (${method})`);
    this.name = 'ControlClosedError';
  }
}

function connectMessage(reason: ConnectFailure, path: string, detail?: string): string {
  switch (reason) {
    case 'absent':
      return `the switch is not running (no ${path})`;
    case 'refused':
      return `the switch is not running (nothing listens on ${path})`;
    case 'denied':
      return `cannot connect to the switch: permission denied on ${path}`;
    case 'timeout':
      return `the switch did not accept a connection on ${path} within ${detail}`;
    default:
      return `cannot connect to the switch on ${path}: ${detail}`;
  }
}

function connectFailure(code: string | undefined): ConnectFailure {
  if (code === 'ENOENT') return 'absent';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'EACCES' || code === 'EPERM') return 'denied';
  return 'other';
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export interface ControlClientOptions {
  /** For connecting and, by default, for each call; default 5 s. */
  timeoutMs?: number;
}

export class ControlClient {
  private readonly pending = new Map<RequestId, Pending>();
  private readonly splitter = new LineSplitter(MAX_RESPONSE_BYTES);
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      if (!this.splitter.push(chunk, (line) => this.onLine(line))) {
        this.fail((method) => new ControlClosedError(method, `the switch sent a response over ${MAX_RESPONSE_BYTES} bytes`));
      }
    });
    socket.on('error', () => {}); // 'close' follows and rejects what is pending
    socket.on('close', () => this.fail((method) => new ControlClosedError(method)));
  }

  static connect(socketPath: string, opts: ControlClientOptions = {}): Promise<ControlClient> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_CONTROL_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ControlConnectError('timeout', socketPath, `${timeoutMs / 1000} s`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new ControlClient(socket, timeoutMs));
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new ControlConnectError(connectFailure(err.code), socketPath, err.code ?? err.message));
      });
    });
  }

  /** Calls `method`; resolves with its result, rejects with ControlCallError / ControlTimeoutError / ControlClosedError. */
  call<T>(method: string, params: object = {}, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new ControlClosedError(method, 'the control connection is closed'));
    const id = this.nextId++;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ControlTimeoutError(method, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.socket.write(JSON.stringify({ id, method, params }) + '\n');
    });
  }

  close(): void {
    if (this.closed) return;
    this.socket.destroy();
    this.fail((method) => new ControlClosedError(method, 'the control connection was closed'));
  }

  private onLine(line: string): void {
    let message: { id?: unknown; result?: unknown; error?: unknown };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      return this.fail((method) => new ControlClosedError(method, 'the switch sent a line that is not JSON'));
    }
    if (message.id === null && typeof message.error === 'string') {
      // The switch could not read a request of ours: nothing pending can be answered now.
      const error = message.error;
      return this.fail((method) => new ControlCallError(method, error));
    }
    const pending = this.pending.get(message.id as RequestId);
    if (!pending) return; // answered after its timeout
    this.pending.delete(message.id as RequestId);
    clearTimeout(pending.timer);
    if (typeof message.error === 'string') pending.reject(new ControlCallError(pending.method, message.error));
    else pending.resolve(message.result ?? null);
  }

  private fail(errorFor: (method: string) => Error): void {
    this.closed = true;
    if (!this.socket.destroyed) this.socket.destroy();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(errorFor(p.method));
    }
  }
}
