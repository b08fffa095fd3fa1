/**
 * One client of the control socket: splits its bytes into request lines, runs at most
 * `maxInFlight` requests at a time (reading pauses meanwhile, and while the client does not
 * read its responses), writes one response line per request. A client that sends garbage
 * gets error lines; one that sends a line over the cap gets one error line and is
 * disconnected; one that goes away mid-request just loses its response.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../../log/logger.js';
import type { ControlRequest, ControlResponse } from './control-protocol.js';
import { parseRequestLine, responseLine } from './control-request.js';
import { LineSplitter } from './line-splitter.js';

export interface ConnectionLimits {
  maxRequestBytes: number;
  maxInFlight: number;
  /** A connection with nothing in flight and no bytes for this long is closed. */
  idleTimeoutMs: number;
}

export type Dispatch = (request: ControlRequest) => Promise<ControlResponse>;

export class ControlConnection {
  private readonly splitter: LineSplitter;
  private readonly queue: string[] = [];
  private inFlight = 0;
  /** No more requests will be read: the client half-closed, or we refused it. */
  private inputEnded = false;

  /** `socket` must come from a server with `allowHalfOpen: true` (answers after the client's FIN). */
  constructor(
    private readonly socket: Socket,
    private readonly dispatch: Dispatch,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
  ) {
    this.splitter = new LineSplitter(limits.maxRequestBytes);
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.pump());
    socket.on('timeout', () => this.onIdle());
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.log.debug({ event: 'control.client_error', code: err.code }, `control client: ${err.message}`);
      socket.destroy();
    });
    socket.on('end', () => {
      this.inputEnded = true;
      this.pump();
    });
  }

  /** Ends the connection now (switch stopping); responses still in flight are dropped. */
  destroy(): void {
    this.inputEnded = true;
    this.queue.length = 0;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.inputEnded) return;
    const ok = this.splitter.push(chunk, (line) => {
      if (line.trim() !== '') this.queue.push(line);
    });
    if (ok) this.pump();
    else this.refuseOversized();
  }

  private refuseOversized(): void {
    const max = this.limits.maxRequestBytes;
    this.log.warn({ event: 'control.request_too_long', max }, `control client sent a request line over ${max} bytes; disconnected`);
    this.inputEnded = true;
    this.queue.length = 0;
    this.socket.end(responseLine({ id: null, error: `request line longer than ${max} bytes` }));
  }

  /** Starts queued requests while under the in-flight limit and the client keeps reading. */
  private pump(): void {
    if (this.socket.destroyed) return;
    while (this.queue.length > 0 && this.inFlight < this.limits.maxInFlight && !this.socket.writableNeedDrain) {
      this.handle(this.queue.shift()!);
    }
    if (this.inputEnded) {
      if (this.queue.length === 0 && this.inFlight === 0 && this.socket.writable) this.socket.end();
      return;
    }
    const backlog = this.queue.length > 0 || this.inFlight >= this.limits.maxInFlight || this.socket.writableNeedDrain;
    if (backlog) this.socket.pause();
    else this.socket.resume();
  }

  private handle(line: string): void {
    const parsed = parseRequestLine(line);
    if ('invalid' in parsed) {
      this.log.debug({ event: 'control.invalid_request' }, 'invalid control request');
      this.write(parsed.invalid);
      return;
    }
    this.inFlight++;
    void this.dispatch(parsed.request).then((response) => {
      this.inFlight--;
      this.write(response);
      this.pump();
    });
  }

  private write(response: ControlResponse): void {
    if (this.socket.destroyed || !this.socket.writable) {
      this.log.debug({ event: 'control.response_dropped', id: response.id }, 'control client left before its response');
      return;
    }
    this.socket.write(responseLine(response));
  }

  private onIdle(): void {
    if (this.inFlight > 0) {
      this.socket.setTimeout(this.limits.idleTimeoutMs); // busy, not idle: look again later
      return;
    }
    this.log.debug({ event: 'control.client_idle' }, 'control client idle; disconnected');
    this.socket.destroy();
  }
}
