/**
 * The running switch's control socket (control-protocol.ts): a Unix domain socket in the
 * data directory, mode 0600, that the CLI asks for live data (`calls.list`) and actions
 * (`calls.hangup`). Services register their methods; a failing handler answers one error
 * line and is logged, it never takes the switch down.
 *
 * `start()` also makes the socket a lock on the data directory: when the file exists and a
 * switch answers on it, start fails with SwitchAlreadyRunningError; when nothing answers (a
 * switch crashed and left it), the stale file is replaced.
 */
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { systemClock, type Clock } from '../../time/clock.js';
import { ControlConnection, type ConnectionLimits } from './control-connection.js';
import { MAX_REQUEST_BYTES, type ControlMethods, type ControlRequest, type ControlResponse } from './control-protocol.js';
import { errorText } from './control-request.js';
import { checkSocketPathLength, probeSocket } from './socket-file.js';

/** A refusal phrased for the operator ("no live call 3f2c"): answered as an error, logged at debug only. */
export class ControlMethodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlMethodError';
  }
}

export class SwitchAlreadyRunningError extends Error {
  constructor(readonly dataDir: string) {
    super(`another switch is running on ${dataDir}`);
    this.name = 'SwitchAlreadyRunningError';
  }
}

export interface ControlServerOptions {
  /** Longest request line (bytes); default MAX_REQUEST_BYTES (64 KiB). */
  maxRequestBytes?: number;
  /** Requests one client may have running at once; default 8. */
  maxInFlight?: number;
  /** A client with nothing in flight that sends nothing for this long is disconnected; default 60 s. */
  idleTimeoutMs?: number;
  /**
   * A handler that has not settled after this long is answered with an error (it may still
   * finish; its result is dropped), so a stuck service cannot pin connections; default 30 s.
   */
  handlerTimeoutMs?: number;
  /** Clients at once; more are closed as they connect; default 32. */
  maxConnections?: number;
  /** Extra fields of `switch.status` (ports, version, ...). */
  status?: () => Record<string, unknown>;
  clock?: Clock;
}

const STATUS = 'switch.status';
/** start(): attempts at binding when a stale file was cleared meanwhile by someone else. */
const BIND_ATTEMPTS = 3;

export class ControlServer {
  private readonly methods = new Map<string, ControlMethods[string]>();
  private readonly connections = new Set<ControlConnection>();
  private readonly limits: ConnectionLimits;
  private readonly clock: Clock;
  private server: Server | undefined;
  private inode: number | undefined;
  private startedAt = 0;

  constructor(
    readonly socketPath: string,
    private readonly log: Logger,
    private readonly options: ControlServerOptions = {},
  ) {
    this.limits = {
      maxRequestBytes: options.maxRequestBytes ?? MAX_REQUEST_BYTES,
      maxInFlight: options.maxInFlight ?? 8,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    };
    this.clock = options.clock ?? systemClock;
    this.methods.set(STATUS, () => this.status());
  }

  /** Adds a service's methods; a name already taken is a programming error and throws. */
  register(methods: ControlMethods): void {
    for (const name of Object.keys(methods)) {
      if (this.methods.has(name)) throw new Error(`control method ${name} is already registered`);
    }
    for (const [name, handler] of Object.entries(methods)) this.methods.set(name, handler);
  }

  /** Method names answered now, sorted. */
  methodNames(): string[] {
    return [...this.methods.keys()].sort();
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Clients connected now. */
  get clients(): number {
    return this.connections.size;
  }

  /** Listens on the socket path; SwitchAlreadyRunningError when a live switch holds it. */
  async start(): Promise<void> {
    if (this.server) throw new Error('control server already started');
    checkSocketPathLength(this.socketPath);
    for (let attempt = 1; ; attempt++) {
      const server = this.createServer();
      try {
        await listen(server, this.socketPath);
        this.server = server;
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= BIND_ATTEMPTS) throw err;
        await this.clearStaleSocket();
      }
    }
    // The data directory is 0700 already; 0600 keeps the socket private if that ever changes.
    chmodSync(this.socketPath, 0o600);
    this.inode = lstatSync(this.socketPath).ino;
    this.startedAt = this.clock.now();
    this.log.info({ event: 'control.listening', socket: this.socketPath }, `control socket ${this.socketPath}`);
  }

  /** Stops listening, disconnects every client, removes the socket file (if still ours). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const c of this.connections) c.destroy();
    this.connections.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.removeOwnSocketFile();
    this.log.info({ event: 'control.stopped', socket: this.socketPath }, 'control socket closed');
  }

  /** Runs one request; never rejects. */
  async dispatch(request: ControlRequest): Promise<ControlResponse> {
    const { id, method } = request;
    const handler = this.methods.get(method);
    if (!handler) return { id, error: `unknown method ${method}` };
    try {
      return { id, result: await this.withTimeout(method, handler(request.params)) };
    } catch (err) {
      if (err instanceof ControlMethodError) {
        this.log.debug({ event: 'control.refused', method, error: err.message }, `${method}: ${err.message}`);
        return { id, error: errorText(err) };
      }
      this.log.error({ event: 'control.handler_failed', method, err }, `control method ${method} failed`);
      return { id, error: `${method} failed: ${errorText(err)}` };
    }
  }

  private withTimeout(method: string, work: unknown): Promise<unknown> {
    const ms = this.options.handlerTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method} did not finish within ${ms / 1000} s`)), ms);
    });
    const settled = Promise.resolve(work);
    settled.catch(() => {}); // a rejection after the timeout must not become an unhandled one
    return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
  }

  private createServer(): Server {
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      const connection = new ControlConnection(socket, (r) => this.dispatch(r), this.limits, this.log);
      this.connections.add(connection);
      socket.on('close', () => this.connections.delete(connection));
    });
    server.maxConnections = this.options.maxConnections ?? 32;
    server.on('error', (err) => this.log.error({ event: 'control.server_error', err }, 'control socket error'));
    return server;
  }

  /** The path is taken: refuse when a switch answers there, else remove the stale file. */
  private async clearStaleSocket(): Promise<void> {
    const dataDir = dirname(this.socketPath);
    const before = lstatSync(this.socketPath, { throwIfNoEntry: false });
    if (!before) return; // gone meanwhile: bind again
    if (!before.isSocket()) throw new Error(`${this.socketPath} exists and is not a socket; remove it`);
    const probe = await probeSocket(this.socketPath);
    if (probe === 'live') throw new SwitchAlreadyRunningError(dataDir);
    if (probe === 'denied') throw new Error(`${this.socketPath} belongs to someone else (permission denied)`);
    // Remove only the file we probed: another switch starting at this moment may have replaced it.
    const now = lstatSync(this.socketPath, { throwIfNoEntry: false });
    if (now && now.ino === before.ino) unlinkSync(this.socketPath);
    this.log.warn({ event: 'control.stale_socket', socket: this.socketPath }, `removed the stale control socket ${this.socketPath} (a switch did not stop cleanly)`);
  }

  private removeOwnSocketFile(): void {
    const now = lstatSync(this.socketPath, { throwIfNoEntry: false });
    if (now && now.ino === this.inode) unlinkSync(this.socketPath);
  }

  private status(): Record<string, unknown> {
    const now = this.clock.now();
    return {
      pid: process.pid,
      startedAt: this.startedAt,
      uptimeS: Math.floor((now - this.startedAt) / 1000),
      dataDir: dirname(this.socketPath),
      methods: this.methodNames(),
      ...(this.options.status?.() ?? {}),
    };
  }
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(path, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
