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
  /** Raw values of the headers validated here, gathered while reading the lines. */
  known: KnownValues;
  /** First header-syntax error, if any. */
  error?: SipSyntaxError;
  bodyStart: number;
}

/** Values of the headers this parser checks, keyed by canonical name, in wire order. */
interface KnownValues {
  via: string[];
  cseq: string[];
  from: string[];
  to: string[];
  'call-id': string[];
  'max-forwards': string[];
  'content-length': string[];
  contact: string[];
  date: string[];
}

function knownValues(): KnownValues {
  return { via: [], cseq: [], from: [], to: [], 'call-id': [], 'max-forwards': [], 'content-length': [], contact: [], date: [] };
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
  const head: Head = { startLine, headers: new HeaderList(), known: knownValues(), bodyStart };
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
  let name: string | undefined;
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
        name = text.slice(pos, nameEnd);
        value = trimmedSlice(text, colon + 1, end);
      }
    }
    pos = eol + 1;
  }
  if (name !== undefined) addHeader(head, name, value);
}

function addHeader(head: Head, name: string, value: string): void {
  const known = knownSlot(head.known, name);
  if (known) known.push(value);
  head.headers.append(name, value);
}

/** The KnownValues slot for a header name (long or compact form, any case), without allocating. */
function knownSlot(k: KnownValues, name: string): string[] | undefined {
  switch (name.length) {
    case 1:
      switch (name.charCodeAt(0) | 0x20) {
        case 118: return k.via; // v
        case 102: return k.from; // f
        case 116: return k.to; // t
        case 105: return k['call-id']; // i
        case 109: return k.contact; // m
        case 108: return k['content-length']; // l
      }
      return undefined;
    case 2: return sameText(name, 'to') ? k.to : undefined;
    case 3: return sameText(name, 'via') ? k.via : undefined;
    case 4: return sameText(name, 'cseq') ? k.cseq : sameText(name, 'from') ? k.from : sameText(name, 'date') ? k.date : undefined;
    case 7: return sameText(name, 'call-id') ? k['call-id'] : sameText(name, 'contact') ? k.contact : undefined;
    case 12: return sameText(name, 'max-forwards') ? k['max-forwards'] : undefined;
    case 14: return sameText(name, 'content-length') ? k['content-length'] : undefined;
  }
  return undefined;
}

/** ASCII case-insensitive equality with a lower-case literal. */
function sameText(s: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((s.charCodeAt(i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
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
  if (error) return fail(error, answerable(head.known) ? req : undefined);
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
    requireComplete(head.known);
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
function validateCommon(m: SipMessage, k: KnownValues): void {
  const h = m.headers;
  if (k.via.length === 0) throw new SipSyntaxError('missing Via');
  const v = k.via.length === 1 ? parseVia(k.via[0]!) : k.via.flatMap(parseVia);
  h.prime('via', v);
  if (k.cseq.length === 0) throw new SipSyntaxError('missing CSeq');
  const c = parseCSeq(k.cseq[0]!);
  h.prime('cseq', c);
  if (k.from.length) {
    const f = parseNameAddr(k.from[0]!);
    h.prime('from', f);
  }
  if (k.to.length) {
    const t = parseNameAddr(k.to[0]!);
    h.prime('to', t);
  }
  if (k['call-id'].length) {
    const id = validateCallId(k['call-id'][0]!);
    h.prime('call-id', id);
  }
  if (k.contact.length) contacts(m);
  for (let i = 1; i < k.cseq.length; i++) parseCSeq(k.cseq[i]!);
  for (let i = 1; i < k.from.length; i++) parseNameAddr(k.from[i]!);
  for (let i = 1; i < k.to.length; i++) parseNameAddr(k.to[i]!);
  for (let i = 1; i < k['call-id'].length; i++) validateCallId(k['call-id'][i]!);
  for (const mf of k['max-forwards']) parseMaxForwards(mf);
  for (const cl of k['content-length']) parseContentLength(cl);
  for (const d of k.date) parseSipDate(d);
}

/** RFC 3261 §8.1.1.5: the CSeq method MUST match the request method (RFC 4475 §3.1.2.17/18). */
function checkCSeqMethod(req: SipRequest): void {
  const m = cseq(req).method;
  if (m !== req.method) throw new SipSyntaxError(`CSeq method ${m} does not match request method ${req.method}`);
}

/** A response needs its single From, To, Call-ID and CSeq to reach a transaction. */
function requireComplete(k: KnownValues): void {
  for (const values of [k.from, k.to, k['call-id'], k.cseq]) {
    if (values.length === 0) throw new SipSyntaxError('missing From, To, Call-ID or CSeq');
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
function answerable(k: KnownValues): boolean {
  if (!k.from.length || !k.to.length || !k['call-id'].length || !k.cseq.length || !k.via.length) return false;
  try {
    parseVia(k.via[0]!);
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
  const values = head.known['content-length'];
  let length = available;
  if (values.length > 0) {
    let n: number | undefined;
    try {
      n = parseContentLength(values[0]!);
      for (let i = 1; i < values.length; i++) if (parseContentLength(values[i]!) !== n) n = undefined;
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
