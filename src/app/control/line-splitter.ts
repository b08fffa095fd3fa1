/**
 * JSON-lines framing without I/O: bytes in, complete lines out. A line longer than the cap
 * (bytes before the LF, a CR included; counted before the LF arrives, so a client cannot make us buffer without bound) ends the
 * stream: `push` returns false and the splitter takes nothing more.
 */
const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;

  constructor(private readonly maxLineBytes: number) {}

  /** True once a line went over the cap. */
  get overflow(): boolean {
    return this.overflowed;
  }

  /** Calls `onLine` for each complete line in `chunk` (UTF-8, CR LF or LF); false on overflow. */
  push(chunk: Buffer, onLine: (line: string) => void): boolean {
    if (this.overflowed) return false;
    let start = 0;
    for (let lf = chunk.indexOf(LF, start); lf !== -1; lf = chunk.indexOf(LF, start)) {
      if (this.pendingBytes + (lf - start) > this.maxLineBytes) return this.overflowNow();
      onLine(this.takeLine(chunk.subarray(start, lf)));
      start = lf + 1;
    }
    const rest = chunk.length - start;
    if (rest > 0) {
      if (this.pendingBytes + rest > this.maxLineBytes) return this.overflowNow();
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += rest;
    }
    return true;
  }

  /** Bytes of an unfinished line held now. */
  get buffered(): number {
    return this.pendingBytes;
  }

  private takeLine(tail: Buffer): string {
    let bytes = tail;
    if (this.pending.length > 0) {
      this.pending.push(tail);
      bytes = Buffer.concat(this.pending, this.pendingBytes + tail.length);
      this.pending = [];
      this.pendingBytes = 0;
    }
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    return bytes.toString('utf8', 0, end);
  }

  private overflowNow(): false {
    this.overflowed = true;
    this.pending = [];
    this.pendingBytes = 0;
    return false;
  }
}
