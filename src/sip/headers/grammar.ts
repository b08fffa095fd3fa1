/**
 * RFC 3261 §25.1 basic rules as a hand-written scanner: character classes as lookup tables,
 * a cursor over one (already unfolded) header value, quoted strings and generic parameters.
 *
 * No regular expressions here: every loop advances the cursor, so the work is linear in the
 * input and hostile values cannot trigger backtracking.
 */
import { SipSyntaxError } from '../errors.js';

/** A 128-entry membership table for ASCII characters (non-ASCII is never a member). */
export type CharClass = Uint8Array;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function charClass(extra: string, withAlnum = true): CharClass {
  const t = new Uint8Array(128);
  for (const c of (withAlnum ? ALNUM : '') + extra) t[c.charCodeAt(0)] = 1;
  return t;
}

export function inClass(cls: CharClass, code: number): boolean {
  return code < 128 && code >= 0 && cls[code] === 1;
}

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = charClass("-.!%*_+`'~");
/** word (Call-ID) = token characters plus ( ) < > : \ DQUOTE / [ ] ? { } */
export const WORD = charClass("-.!%*_+`'~()<>:\\\"/[]?{}");
/** unreserved = alphanum / mark (RFC 3261 §25.1) */
export const UNRESERVED = charClass("-_.!~*'()");
/** gen-value = token / host / quoted-string: token chars plus what IPv6 hosts need. */
export const GEN_VALUE = charClass("-.!%*_+`'~[]:");
/** hostname / IPv4address characters. */
export const HOST = charClass('-.');
/** IPv6reference inner characters. */
export const IPV6 = charClass(':.', false);
for (const c of '0123456789abcdefABCDEF') IPV6[c.charCodeAt(0)] = 1;
export const DIGIT = charClass('0123456789', false);
export const HEX = charClass('0123456789abcdefABCDEF', false);

export function isTokenString(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!inClass(TOKEN, s.charCodeAt(i))) return false;
  return true;
}

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Parses 1*DIGIT with bounded work: leading zeros are skipped and anything longer than
 * `maxDigits` significant digits (or above `max`) is rejected without converting it.
 */
export function parseBoundedInt(s: string, max: number, what: string, maxDigits = 10): number {
  if (!isDigits(s)) throw new SipSyntaxError(`${what}: not a number`);
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  if (s.length - i > maxDigits) throw new SipSyntaxError(`${what}: value too large`);
  const n = Number(s.slice(i));
  if (n > max) throw new SipSyntaxError(`${what}: value too large`);
  return n;
}

/** A cursor over one header value (or URI) with the small steps the §25 grammar is made of. */
export class Scanner {
  pos = 0;
  constructor(
    readonly text: string,
    readonly what: string,
  ) {}

  get eof(): boolean {
    return this.pos >= this.text.length;
  }

  /** The character code at the cursor, or -1 at the end. */
  peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  /** SWS: spaces and tabs (values reach us unfolded; a CRLF WSP pair still counts as LWS). */
  skipWs(): void {
    const s = this.text;
    let i = this.pos;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9) i++;
      else if (c === 13 && s.charCodeAt(i + 1) === 10 && (s.charCodeAt(i + 2) === 32 || s.charCodeAt(i + 2) === 9)) i += 3;
      else break;
    }
    this.pos = i;
  }

  /** Skips whitespace, then consumes `code` if it is next; the cursor stays put otherwise. */
  eat(code: number): boolean {
    const save = this.pos;
    this.skipWs();
    if (this.peek() === code) {
      this.pos++;
      return true;
    }
    this.pos = save;
    return false;
  }

  expect(code: number, label: string): void {
    if (!this.eat(code)) this.fail(`expected ${label}`);
  }

  /** Zero or more characters of a class. */
  run(cls: CharClass): string {
    const s = this.text;
    const start = this.pos;
    let i = start;
    while (i < s.length && inClass(cls, s.charCodeAt(i))) i++;
    this.pos = i;
    return s.slice(start, i);
  }

  /** One or more characters of a class. */
  need(cls: CharClass, label: string): string {
    const v = this.run(cls);
    if (v.length === 0) this.fail(`expected ${label}`);
    return v;
  }

  token(): string {
    return this.need(TOKEN, 'a token');
  }

  /**
   * quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE. Returns the raw text including
   * the quotes (RFC 3261 §25.1); `unquote` gives the content. Jumps between quotes and
   * backslashes with indexOf; the next backslash and line break are remembered, so a value
   * with many quoted strings is still scanned once.
   */
  quotedRaw(): string {
    const s = this.text;
    const start = this.pos;
    if (s.charCodeAt(start) !== 34) this.fail('expected a quoted string');
    let i = start + 1;
    let close: number;
    for (;;) {
      close = s.indexOf('"', i);
      if (close < 0) this.fail('unterminated quoted string');
      const bs = this.next(92, i);
      if (bs > close) break;
      // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
      const n = s.charCodeAt(bs + 1);
      if (Number.isNaN(n) || n === 10 || n === 13 || n > 0x7f) this.fail('bad quoted-pair');
      i = bs + 2;
    }
    if (this.next(10, start) < close || this.next(13, start) < close) this.fail('line break inside quoted string');
    this.pos = close + 1;
    return s.slice(start, close + 1);
  }

  /** Per searched character: [searched from, found at (Infinity: none)]. */
  private memo: Array<[number, number]> | undefined;

  /** Position of the next `code` (backslash, LF or CR) at or after `from`, or Infinity; memoised. */
  private next(code: 92 | 10 | 13, from: number): number {
    const memo = (this.memo ??= [[0, -1], [0, -1], [0, -1]]);
    const m = memo[code === 92 ? 0 : code === 10 ? 1 : 2]!;
    if (from < m[0] || m[1] < from) {
      const at = this.text.indexOf(String.fromCharCode(code), from);
      m[0] = from;
      m[1] = at < 0 ? Infinity : at;
    }
    return m[1];
  }

  /** A quoted-string's content, unescaped (one slice when it has no quoted-pairs). */
  quoted(): string {
    const start = this.pos;
    const raw = this.quotedRaw();
    return raw.indexOf('\\') < 0 ? this.text.slice(start + 1, this.pos - 1) : unquote(raw);
  }

  fail(message: string, status = 400): never {
    throw new SipSyntaxError(`${this.what}: ${message}`, status);
  }
}

/** The content of a quoted string as `quotedRaw` returned it; other values pass through. */
export function unquote(raw: string): string {
  if (raw.length < 2 || raw.charCodeAt(0) !== 34) return raw;
  const inner = raw.slice(1, -1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && i + 1 < inner.length) out += inner[++i];
    else out += c;
  }
  return out;
}

/** Writes `s` as a quoted-string, escaping `"` and `\` (RFC 3261 §25.1 quoted-pair). */
export function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92) out += '\\';
    if (c === 13 || c === 10) continue; // cannot be carried inside a quoted-string
    out += s[i];
  }
  return out + '"';
}

/**
 * *( SEMI generic-param ), with generic-param = token [ EQUAL gen-value ] (RFC 3261 §25.1).
 * Names are stored lower-case; values as written (a quoted-string keeps its quotes, because
 * RFC 3840 feature tags give quoting a meaning); `null` marks a parameter without a value.
 * A repeated name is a syntax error: two `tag` or two `branch` values must not be guessed at.
 */
export function parseParams(sc: Scanner, params: Map<string, string | null>): void {
  const s = sc.text;
  for (;;) {
    sc.skipWs();
    if (s.charCodeAt(sc.pos) !== 59 /* ; */) return;
    sc.pos++;
    sc.skipWs();
    const name = lowerAscii(sc.token());
    let value: string | null = null;
    sc.skipWs();
    if (s.charCodeAt(sc.pos) === 61 /* = */) {
      sc.pos++;
      sc.skipWs();
      value = s.charCodeAt(sc.pos) === 34 ? sc.quotedRaw() : sc.need(GEN_VALUE, 'a parameter value');
    }
    if (params.has(name)) sc.fail(`parameter ${name} repeated`);
    params.set(name, value);
  }
}

/** toLowerCase without the allocation when the text is lower-case already (the usual case). */
export function lowerAscii(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.toLowerCase();
  }
  return s;
}

/** Writes parameters as `;name=value` / `;name`. Values are written as stored. */
export function formatParams(params: ReadonlyMap<string, string | null>, skip?: ReadonlySet<string>): string {
  let out = '';
  for (const [k, v] of params) {
    if (skip?.has(k)) continue;
    out += v === null ? `;${k}` : `;${k}=${v}`;
  }
  return out;
}

/** A parameter value as a gen-value: unchanged when it is one, otherwise quoted. */
export function genValue(v: string): string {
  for (let i = 0; i < v.length; i++) if (!inClass(GEN_VALUE, v.charCodeAt(i))) return quote(v);
  return v.length ? v : '""';
}

/** Fails unless the scanner is at the end of its text (trailing whitespace allowed). */
export function expectEnd(sc: Scanner): void {
  sc.skipWs();
  if (!sc.eof) sc.fail(`unexpected ${JSON.stringify(sc.text[sc.pos])}`);
}

/**
 * host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1). Returns the host as
 * written; an IPv6 reference keeps its brackets.
 */
export function scanHost(sc: Scanner): string {
  const start = sc.pos;
  if (sc.peek() === 91 /* [ */) {
    sc.pos++;
    const inner = sc.run(IPV6);
    if (sc.peek() !== 93 || inner.indexOf(':') < 0) sc.fail('bad IPv6 reference');
    sc.pos++;
    return sc.text.slice(start, sc.pos);
  }
  const h = sc.need(HOST, 'a host');
  const first = h.charCodeAt(0);
  if (first === 45 || first === 46 || h.indexOf('..') >= 0) sc.fail(`bad host ${JSON.stringify(h)}`);
  return h;
}

/** port = 1*DIGIT, 0..65535. */
export function scanPort(sc: Scanner): number {
  return parseBoundedInt(sc.need(DIGIT, 'a port'), 65535, 'port', 5);
}
