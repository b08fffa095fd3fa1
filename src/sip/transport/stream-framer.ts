/**
 * Splits a SIP byte stream (TCP, TLS) into messages. Sans-IO: bytes in, frames out.
 *
 * - RFC 3261 §18.3: on a stream, Content-Length is mandatory and delimits the body.
 * - RFC 3261 §7.5: CRLFs before a start line are ignored.
 * - RFC 5626 §3.5.1 / §4.4.1: a double CRLF between messages is a keep-alive "ping" and is
 *   answered with a single CRLF "pong"; a lone CRLF is a pong (reported, nothing to do).
 * - A header block or body beyond `maxMessageBytes` is fatal for the connection: a peer that
 *   cannot be framed cannot be resynchronised, so the shell answers 513 where it can and closes.
 */

export type Frame =
  | { kind: 'message'; data: Buffer }
  | { kind: 'ping' }
  | { kind: 'pong' }
  /** Fatal: the connection must be closed. `head` is the header block when one was complete, so a 400 can still be answered. */
  | { kind: 'error'; status: 400 | 513; reason: string; head?: Buffer };

export interface StreamFramerOptions {
  /** Largest message (headers + body) accepted; default 64 KiB. */
  maxMessageBytes?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH_LINE = /^(?:content-length|l)[ \t]*:[ \t]*(\S*)[ \t]*$/im;

export class StreamFramer {
  private buf: Buffer = Buffer.alloc(0);
  private readonly max: number;
  /** Set once a fatal error was reported: the stream cannot be trusted any more. */
  private broken = false;

  constructor(opts: StreamFramerOptions = {}) {
    this.max = opts.maxMessageBytes ?? 65536;
  }

  /** Bytes held while waiting for the rest of a message (0 when idle). */
  get pending(): number {
    return this.buf.length;
  }

  push(chunk: Buffer): Frame[] {
    if (this.broken) return [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    for (;;) {
      const f = this.next();
      if (!f) break;
      out.push(f);
      if (f.kind === 'error') {
        this.broken = true;
        this.buf = Buffer.alloc(0);
        break;
      }
    }
    return out;
  }

  private next(): Frame | undefined {
    // Leading CRLFs: keep-alives (RFC 5626) or noise before a start line (RFC 3261 §7.5).
    while (this.buf.length && (this.buf[0] === CR || this.buf[0] === LF)) {
      const c = this.buf;
      if (c.length >= 4 && c.subarray(0, 4).equals(HEADER_END)) {
        this.buf = c.subarray(4);
        return { kind: 'ping' };
      }
      if (c.length < 4 && HEADER_END.subarray(0, c.length).equals(c)) return undefined; // a ping may be arriving
      if (c[0] === CR && c[1] === LF) {
        this.buf = c.subarray(2);
        return { kind: 'pong' };
      }
      this.buf = c.subarray(1); // a stray CR or LF
    }
    const b = this.buf;
    if (!b.length) return undefined;

    const headerEnd = b.indexOf(HEADER_END);
    if (headerEnd < 0) {
      if (b.length > this.max) return { kind: 'error', status: 513, reason: 'header block too large' };
      return undefined;
    }
    const bodyStart = headerEnd + 4;
    if (bodyStart > this.max) return { kind: 'error', status: 513, reason: 'header block too large' };
    const head = b.toString('latin1', 0, headerEnd);
    const m = CONTENT_LENGTH_LINE.exec(head);
    if (!m) return { kind: 'error', status: 400, reason: 'missing Content-Length on a stream transport (RFC 3261 §18.3)', head: b.subarray(0, bodyStart) };
    const value = m[1]!;
    if (!/^\d{1,9}$/.test(value)) return { kind: 'error', status: 400, reason: `bad Content-Length "${value.slice(0, 20)}"`, head: b.subarray(0, bodyStart) };
    const bodyLength = Number(value);
    if (bodyStart + bodyLength > this.max) return { kind: 'error', status: 513, reason: 'message too large' };
    if (b.length < bodyStart + bodyLength) return undefined;
    const data = b.subarray(0, bodyStart + bodyLength);
    this.buf = b.subarray(bodyStart + bodyLength);
    return { kind: 'message', data };
  }
}
