/**
 * The main thread's end of one media worker: sends requests with fresh ids, matches
 * responses to them, passes events on, and when the worker dies rejects every request
 * still pending (nothing waits forever on a dead worker).
 */
import { Worker } from 'node:worker_threads';
import { isResponse, type Request, type RequestBody, type RequestType, type ResultMap, type WorkerEvent, type WorkerInit, type WorkerMessage } from './protocol.js';

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  type: RequestType;
}

export class WorkerGoneError extends Error {
  constructor(
    readonly worker: number,
    readonly exitCode: number,
  ) {
    super(`media worker ${worker} exited (code ${exitCode})`);
  }
}

export class MediaRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export class WorkerLink {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited = false;
  readonly ready: Promise<void>;

  constructor(
    script: URL,
    readonly init: WorkerInit,
    private readonly onEvent: (e: WorkerEvent, link: WorkerLink) => void,
    private readonly onExit: (code: number, link: WorkerLink) => void,
  ) {
    this.worker = new Worker(script, { workerData: init });
    this.ready = new Promise((resolve, reject) => {
      const early = (code: number): void => reject(new WorkerGoneError(init.worker, code));
      this.worker.once('exit', early);
      this.worker.once('message', () => {
        this.worker.off('exit', early);
        resolve();
      });
    });
    this.worker.on('message', (m: WorkerMessage) => this.onMessage(m));
    this.worker.on('error', () => undefined); // an uncaught exception: 'exit' follows and handles it
    this.worker.on('exit', (code) => this.died(code));
  }

  get index(): number {
    return this.init.worker;
  }

  get alive(): boolean {
    return !this.exited;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  request<T extends RequestType>(body: RequestBody<T> & { type: T }): Promise<ResultMap[T]> {
    if (this.exited) return Promise.reject(new WorkerGoneError(this.index, -1));
    const id = this.nextId++;
    return new Promise<ResultMap[T]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, type: body.type });
      this.worker.postMessage({ ...body, id } as Request);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private onMessage(m: WorkerMessage): void {
    if (isResponse(m)) {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new MediaRequestError(`${p.type}: ${m.error}`, m.code));
      return;
    }
    this.onEvent(m, this);
  }

  private died(code: number): void {
    if (this.exited) return;
    this.exited = true;
    const err = new WorkerGoneError(this.index, code);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
    this.onExit(code, this);
  }
}
