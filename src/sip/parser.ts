/**
 * SIP message parser (RFC 3261 §7, §25): one datagram, or one message a stream transport has
 * already framed, in; a SipRequest or SipResponse, or the reason it was refused, out.
 *
 *   generic-message = start-line *message-header CRLF [ message-body ]
 *
 * What is checked here, once, for every message: the start line; header-line syntax (names
 * are tokens, folded lines are unfolded, RFC 3261 §7.3.1); Via, CSeq, From, To, Call-ID,
 * Max-Forwards, Content-Length, Contact and Date values; CSeq method = request method; and
 * body framing (§18.3). Their typed views are cached on the header list, so the transaction
 * layer and registrar read them for free. Every other header is parsed only when read.
 *
 * Missing or repeated From/To/Call-ID in a request are left to checkRequest, which answers
 * 400 (RFC 4475 §3.3.1 insuf, §3.3.8 multi01, §3.3.9 mcl01); a response must be complete.
 *
 * Nothing in here throws to the caller and all work is linear in the input.
 */
import { SipSyntaxError } from './errors.js';
import { canonicalHeaderNameIn, type CanonicalHeaderName } from './header-list.js';
import { HeaderList, SipRequest, SipResponse, type SipMessage } from './message.js';
import { validateCallId } from './headers/call-id.js';
import { parseContentLength } from './headers/content-length.js';
import { cseq, parseCSeq } from './headers/cseq.js';
import { parseSipDate } from './headers/date.js';
import { inClass, TOKEN } from './headers/grammar.js';
import { parseMaxForwards } from './headers/max-forwards.js';
import { contacts, parseNameAddr } from './headers/name-addr.js';
import { checkRequestLine, parseStatusLine } from './headers/start-line.js';
import { parseVia } from './headers/via.js';
import { requestUri } from './uri.js';

export type ParseResult =
  | { ok: true; message: SipMessage }
  | {
      ok: false;
      error: string;
      /** 400, 505, 513 ...: what a UAS answers with when `request` is present. */
      status: number;
      /**
       * Best-effort request when Via, From, To, Call-ID and CSeq were readable, so the caller can answer `status`; absent when no answer is possible (then the message is dropped).
       * "Readable" here: the top Via parses (it routes the answer) and the other four are present (the answer copies them
       * verbatim). Answer it statelessly with createResponse; its typed accessors may throw.
       */
      request?: SipRequest;
    };

/** Larger messages are refused with 513 (RFC 3261 §18.1.1, §21.5.7). */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** Longest header name accepted (RFC 4475 §3.1.1.7 longreq uses 93 characters). */
export const MAX_HEADER_NAME = 256;

export function parseMessage(buf: Buffer): ParseResult {
  try {
    return parseUnchecked(buf);
  } catch (e) {
    // Defensive: every known failure is reported as a result, never thrown.
    return { ok: false, error: `parser failure: ${(e as Error).message}`, status: 400 };
  }
}

interface Head {
  startLine: string;
  headers: HeaderList;
  /** Where the headers validated here sit in `headers`, gathered while reading the lines. */
  known: KnownFields;
  /** First header-syntax error, if any. */
  error?: SipSyntaxError;
  bodyStart: number;
}

/** The headers this parser checks, as indices into KnownFields' arrays. */
const VIA = 0;
const CSEQ = 1;
const FROM = 2;
const TO = 3;
const CALL_ID = 4;
const MAX_FORWARDS = 5;
const CONTENT_LENGTH = 6;
const CONTACT = 7;
const DATE = 8;
type Known = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
/** Canonical key of each Known index. */
const KNOWN_KEYS = ['via', 'cseq', 'from', 'to', 'call-id', 'max-forwards', 'content-length', 'contact', 'date'] as const;

function knownIndex(key: string): Known | -1 {
  switch (key) {
    case 'via': return VIA;
    case 'cseq': return CSEQ;
    case 'from': return FROM;
    case 'to': return TO;
    case 'call-id': return CALL_ID;
    case 'max-forwards': return MAX_FORWARDS;
    case 'content-length': return CONTENT_LENGTH;
    case 'contact': return CONTACT;
    case 'date': return DATE;
  }
  return -1;
}

/**
 * For each header this parser checks: how many fields it has and where the first one is in
 * the header list (repeats, rare, are found by walking the list). Two small arrays of numbers
 * per message, nothing per header.
 */
class KnownFields {
  readonly count = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  readonly first = [-1, -1, -1, -1, -1, -1, -1, -1, -1];

  /** Notes field `index` of the header list when its key is one of ours. */
  note(key: string, index: number): void {
    const k = knownIndex(key);
    if (k >= 0 && this.count[k]!++ === 0) this.first[k] = index;
  }
}

/** Every value of a known header, in wire order (allocates: for the rare repeated header). */
function valuesOf(h: HeaderList, k: KnownFields, name: Known): string[] {
  const out: string[] = [];
  if (k.count[name] === 0) return out;
  const key = KNOWN_KEYS[name];
  for (let i = k.first[name]!; i < h.size; i++) if (h.keyAt(i) === key) out.push(h.valueAt(i));
  return out;
}

/** The first value of a known header, or undefined. */
function firstOf(h: HeaderList, k: KnownFields, name: Known): string | undefined {
  return k.count[name] === 0 ? undefined : h.valueAt(k.first[name]!);
}

function parseUnchecked(buf: Buffer): ParseResult {
  if (buf.length > MAX_MESSAGE_BYTES) return fail(new SipSyntaxError('message too large', 513));
  const head = readHead(buf);
  if (!head) return fail(new SipSyntaxError('no complete start line and header section'));
  const c0 = head.startLine.charCodeAt(0);
  // A method is a token and cannot contain "/", so "SIP/" starts a Status-Line (RFC 3261 §7.2).
  if ((c0 === 83 || c0 === 115) && head.startLine.slice(0, 4).toUpperCase() === 'SIP/') return parseResponse(buf, head);
  return parseRequest(buf, head);
}

function fail(error: SipSyntaxError, request?: SipRequest): ParseResult {
  return request ? { ok: false, error: error.message, status: error.status, request } : { ok: false, error: error.message, status: error.status };
}

/**
 * Splits the header section off the buffer: leading CRLFs are skipped (RFC 3261 §7.5), the
 * section ends at the first empty line (CRLF CRLF, or bare LF LF from sloppy senders).
 */
function readHead(buf: Buffer): Head | undefined {
  let start = 0;
  while (start < buf.length && (buf[start] === 13 || buf[start] === 10)) start++;
  if (start === buf.length) return undefined;
  // Sloppy senders end lines with a bare LF; look for LF LF only when the first line does.
  const firstLf = buf.indexOf(10, start);
  const bareLf = firstLf > start && buf[firstLf - 1] !== 13;
  let end = bareLf ? buf.indexOf(LFLF, start) : buf.indexOf(CRLFCRLF, start);
  let bodyStart = end + (bareLf ? 2 : 4);
  if (end < 0) {
    // No empty line: accept a header section that at least ends with a line break, no body.
    if (buf[buf.length - 1] !== 10) return undefined;
    end = buf[buf.length - 2] === 13 ? buf.length - 2 : buf.length - 1;
    bodyStart = buf.length;
  }
  const text = buf.toString('utf8', start, end);
  let eol = text.indexOf('\n');
  if (eol < 0) eol = text.length;
  const startLine = text.slice(0, eol > 0 && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol);
  const head: Head = { startLine, headers: new HeaderList(), known: new KnownFields(), bodyStart };
  if (hasBareCr(text)) head.error = new SipSyntaxError('bare CR in header section');
  if (eol < text.length) readHeaderLines(text, eol + 1, head);
  return head;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');

/** A CR not followed by LF: not a line end, and not allowed anywhere else in the header section. */
function hasBareCr(text: string): boolean {
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 2)) if (text.charCodeAt(i + 1) !== 10) return true;
  return false;
}

/**
 * message-header lines: `field-name HCOLON field-value CRLF`, where a line that starts with
 * SP or HT continues the previous one (LWS, RFC 3261 §7.3.1) and counts as one SP. Works on
 * indices into the header text and slices only names and values.
 */
function readHeaderLines(text: string, pos: number, head: Head): void {
  const len = text.length;
  let name: CanonicalHeaderName | undefined;
  let value = '';
  while (pos < len) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = len;
    const end = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 9) {
      const piece = trimmedSlice(text, pos, end);
      if (name === undefined) head.error ??= new SipSyntaxError('continuation line without a header');
      else if (piece !== '') value = value === '' ? piece : `${value} ${piece}`;
    } else {
      if (name !== undefined) addHeader(head, name, value);
      name = undefined;
      const colon = text.indexOf(':', pos);
      let nameEnd = colon < 0 || colon > end ? pos : colon;
      while (nameEnd > pos && (text.charCodeAt(nameEnd - 1) === 32 || text.charCodeAt(nameEnd - 1) === 9)) nameEnd--;
      if (nameEnd - pos > MAX_HEADER_NAME) {
        // Hardening: HeaderList caches every distinct name it sees (up to 4096); unbounded names would let a peer fill memory.
        head.error ??= new SipSyntaxError('header name too long');
      } else if (nameEnd === pos || !isTokenRange(text, pos, nameEnd)) {
        head.error ??= new SipSyntaxError(`malformed header line ${JSON.stringify(text.slice(pos, Math.min(end, pos + 40)))}`);
      } else {
        name = canonicalHeaderNameIn(text, pos, nameEnd);
        value = trimmedSlice(text, colon + 1, end);
      }
    }
    pos = eol + 1;
  }
  if (name !== undefined) addHeader(head, name, value);
}

function addHeader(head: Head, name: CanonicalHeaderName, value: string): void {
  head.known.note(name.key, head.headers.size);
  head.headers.appendCanonical(name, value);
}

function isTokenRange(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (!inClass(TOKEN, s.charCodeAt(i))) return false;
  return true;
}

/** s[a, b) without leading and trailing SP / HT (String#trim also removes Unicode spaces that are data here). */
function trimmedSlice(s: string, a: number, b: number): string {
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return s.slice(a, b);
}

function parseRequest(buf: Buffer, head: Head): ParseResult {
  const line = checkRequestLine(head.startLine);
  const req = new SipRequest(line.method, line.uri, head.headers, EMPTY, line.version);
  let error = line.error ?? head.error;
  if (!error) {
    try {
      validateCommon(req, head.known);
      checkCSeqMethod(req);
      checkRequestUriHeaders(req);
    } catch (e) {
      error = asSyntaxError(e);
    }
  }
  error ??= frameBody(buf, head, req);
  if (error) return fail(error, answerable(head.headers, head.known) ? req : undefined);
  return { ok: true, message: req };
}

function parseResponse(buf: Buffer, head: Head): ParseResult {
  let res: SipResponse;
  try {
    const line = parseStatusLine(head.startLine);
    res = new SipResponse(line.status, line.reason, head.headers, EMPTY, line.version);
    if (head.error) return fail(head.error);
    validateCommon(res, head.known);
    // A response that cannot be matched to a transaction is dropped (RFC 3261 §18.1.2).
    requireComplete(head.headers, head.known);
  } catch (e) {
    return fail(asSyntaxError(e));
  }
  const error = frameBody(buf, head, res);
  return error ? fail(error) : { ok: true, message: res };
}

const EMPTY = Buffer.alloc(0);

function asSyntaxError(e: unknown): SipSyntaxError {
  return e instanceof SipSyntaxError ? e : new SipSyntaxError(String((e as Error)?.message ?? e));
}

/**
 * The header checks shared by requests and responses. Via, CSeq, From, To, Call-ID and
 * Contact are parsed and their typed views stored in the header list's cache, so the layers
 * above read them for free; the other checked headers are only validated.
 */
function validateCommon(m: SipMessage, k: KnownFields): void {
  const h = m.headers;
  const n = k.count;
  if (n[VIA] === 0) throw new SipSyntaxError('missing Via');
  const v = n[VIA] === 1 ? parseVia(firstOf(h, k, VIA)!) : valuesOf(h, k, VIA).flatMap(parseVia);
  h.prime('via', v);
  if (n[CSEQ] === 0) throw new SipSyntaxError('missing CSeq');
  const c = parseCSeq(firstOf(h, k, CSEQ)!);
  h.prime('cseq', c);
  if (n[FROM]) {
    const f = parseNameAddr(firstOf(h, k, FROM)!);
    h.prime('from', f);
  }
  if (n[TO]) {
    const t = parseNameAddr(firstOf(h, k, TO)!);
    h.prime('to', t);
  }
  if (n[CALL_ID]) {
    const id = validateCallId(firstOf(h, k, CALL_ID)!);
    h.prime('call-id', id);
  }
  if (n[CONTACT]) contacts(m);
  if (n[CSEQ]! > 1) for (const x of valuesOf(h, k, CSEQ).slice(1)) parseCSeq(x);
  if (n[FROM]! > 1) for (const x of valuesOf(h, k, FROM).slice(1)) parseNameAddr(x);
  if (n[TO]! > 1) for (const x of valuesOf(h, k, TO).slice(1)) parseNameAddr(x);
  if (n[CALL_ID]! > 1) for (const x of valuesOf(h, k, CALL_ID).slice(1)) validateCallId(x);
  if (n[MAX_FORWARDS] === 1) parseMaxForwards(firstOf(h, k, MAX_FORWARDS)!);
  else for (const mf of valuesOf(h, k, MAX_FORWARDS)) parseMaxForwards(mf);
  if (n[CONTENT_LENGTH] === 1) parseContentLength(firstOf(h, k, CONTENT_LENGTH)!);
  else for (const cl of valuesOf(h, k, CONTENT_LENGTH)) parseContentLength(cl);
  if (n[DATE]) for (const d of valuesOf(h, k, DATE)) parseSipDate(d);
}

/** RFC 3261 §8.1.1.5: the CSeq method MUST match the request method (RFC 4475 §3.1.2.17/18). */
function checkCSeqMethod(req: SipRequest): void {
  const m = cseq(req).method;
  if (m !== req.method) throw new SipSyntaxError(`CSeq method ${m} does not match request method ${req.method}`);
}

/** A response needs its single From, To, Call-ID and CSeq to reach a transaction. */
function requireComplete(h: HeaderList, k: KnownFields): void {
  for (const name of [FROM, TO, CALL_ID, CSEQ] as const) {
    if (k.count[name] === 0) throw new SipSyntaxError('missing From, To, Call-ID or CSeq');
    if (k.count[name] === 1) continue;
    const values = valuesOf(h, k, name);
    for (const v of values) if (v !== values[0]) throw new SipSyntaxError('conflicting From, To, Call-ID or CSeq values');
  }
}

/**
 * Whether a 400 can be sent back: the top Via must parse, since the response is routed by it
 * (RFC 3261 §18.2.2), and From, To, Call-ID and CSeq must be present, since the response
 * copies them byte for byte (§8.2.6.2), malformed or not. So a request with an unquoted
 * comma in a display name (RFC 4475 §3.1.2.15 baddn) or an overlarge CSeq number
 * (§3.1.2.4 scalar02) still gets the 400 the RFC asks for.
 */
function answerable(h: HeaderList, k: KnownFields): boolean {
  const n = k.count;
  if (!n[FROM] || !n[TO] || !n[CALL_ID] || !n[CSEQ] || !n[VIA]) return false;
  try {
    parseVia(firstOf(h, k, VIA)!);
    return true;
  } catch {
    return false;
  }
}

/**
 * Body framing (RFC 3261 §18.3): Content-Length counts the body octets; a value larger than
 * what arrived is an error (RFC 4475 §3.1.2.2 clerr), octets beyond it are discarded
 * (§3.1.1.8 dblreq). Without Content-Length the body is the rest of the datagram (§3.4.1
 * inv2543). Conflicting values (§3.3.9 mcl01) give no framing at all: the rest of the
 * datagram is kept and checkRequest answers 400.
 */
function frameBody(buf: Buffer, head: Head, m: SipMessage): SipSyntaxError | undefined {
  const available = buf.length - head.bodyStart;
  const k = head.known;
  let length = available;
  if (k.count[CONTENT_LENGTH]! > 0) {
    let n: number | undefined;
    try {
      n = parseContentLength(firstOf(head.headers, k, CONTENT_LENGTH)!);
      if (k.count[CONTENT_LENGTH]! > 1) for (const v of valuesOf(head.headers, k, CONTENT_LENGTH)) if (parseContentLength(v) !== n) n = undefined;
    } catch (e) {
      return asSyntaxError(e);
    }
    if (n !== undefined) {
      if (n > available) return new SipSyntaxError(`Content-Length ${n} exceeds the ${available} octets received`);
      length = n;
    } else if (m.kind === 'response') {
      return new SipSyntaxError('conflicting Content-Length values');
    }
  }
  if (length > 0) m.body = Buffer.from(buf.subarray(head.bodyStart, head.bodyStart + length));
  return undefined;
}

/**
 * Headers in a SIP or SIPS Request-URI are refused (RFC 3261 §19.1.1 Table 1; RFC 4475
 * §3.1.2.11 escruri). Only a URI with a "?" can have them, and only those are parsed here;
 * other schemes and the full parse are left to checkRequest (416) and requestUri().
 */
function checkRequestUriHeaders(req: SipRequest): void {
  if (req.uri.indexOf('?') < 0) return;
  const scheme = req.uri.slice(0, 5).toLowerCase();
  if (!scheme.startsWith('sip:') && scheme !== 'sips:') return;
  const uri = requestUri(req);
  if (uri.scheme !== 'tel' && uri.headers.size > 0) throw new SipSyntaxError('headers are not allowed in a Request-URI');
}
