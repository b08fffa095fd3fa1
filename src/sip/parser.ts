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
import { HeaderList, SIP_VERSION, SipRequest, SipResponse, type SipMessage } from './message.js';
import { callId, validateCallId } from './headers/call-id.js';
import { contentLength, parseContentLength } from './headers/content-length.js';
import { cseq, parseCSeq } from './headers/cseq.js';
import { date } from './headers/date.js';
import { charClass, inClass, isTokenString } from './headers/grammar.js';
import { maxForwards, parseMaxForwards } from './headers/max-forwards.js';
import { contacts, from, parseNameAddr, to } from './headers/name-addr.js';
import { parseVia, vias } from './headers/via.js';
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
  /** First header-syntax error, if any. */
  error?: SipSyntaxError;
  bodyStart: number;
}

function parseUnchecked(buf: Buffer): ParseResult {
  if (buf.length > MAX_MESSAGE_BYTES) return fail(new SipSyntaxError('message too large', 513));
  const head = readHead(buf);
  if (!head) return fail(new SipSyntaxError('no complete start line and header section'));
  if (head.startLine.startsWith('SIP/') || head.startLine.startsWith('sip/')) return parseResponse(buf, head);
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
  let end = buf.indexOf('\r\n\r\n', start, 'latin1');
  let bodyStart = end + 4;
  const lf = buf.indexOf('\n\n', start, 'latin1');
  if (lf >= 0 && (end < 0 || lf < end)) {
    end = lf;
    bodyStart = lf + 2;
  }
  if (end < 0) {
    // No empty line: accept a header section that at least ends with a line break, no body.
    if (buf[buf.length - 1] !== 10) return undefined;
    end = buf[buf.length - 2] === 13 ? buf.length - 2 : buf.length - 1;
    bodyStart = buf.length;
  }
  const text = buf.toString('utf8', start, end);
  const eol = text.indexOf('\n');
  const startLine = stripCr(eol < 0 ? text : text.slice(0, eol));
  const head: Head = { startLine, headers: new HeaderList(), bodyStart };
  if (eol >= 0) readHeaderLines(text, eol + 1, head);
  return head;
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/**
 * message-header lines: `field-name HCOLON field-value CRLF`, where a line that starts with
 * SP or HT continues the previous one (LWS, RFC 3261 §7.3.1) and counts as one SP.
 */
function readHeaderLines(text: string, pos: number, head: Head): void {
  let name: string | undefined;
  let value = '';
  while (pos <= text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const line = stripCr(text.slice(pos, eol));
    pos = eol + 1;
    if (line.indexOf('\r') >= 0) {
      head.error ??= new SipSyntaxError('bare CR in header section');
      continue;
    }
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) {
      if (name === undefined) head.error ??= new SipSyntaxError('continuation line without a header');
      else value = value === '' ? trimWsp(line) : `${value} ${trimWsp(line)}`;
      continue;
    }
    if (name !== undefined) head.headers.append(name, value);
    name = undefined;
    const colon = line.indexOf(':');
    const rawName = colon < 0 ? '' : trimWsp(line.slice(0, colon));
    if (!isTokenString(rawName)) {
      head.error ??= new SipSyntaxError(`malformed header line ${JSON.stringify(line.slice(0, 40))}`);
      continue;
    }
    name = rawName;
    value = trimWsp(line.slice(colon + 1));
  }
  if (name !== undefined) head.headers.append(name, value);
}

/** Trims SP and HT only (String#trim also removes Unicode spaces that are data here). */
function trimWsp(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function parseRequest(buf: Buffer, head: Head): ParseResult {
  const h = head.headers;
  const line = checkRequestLine(head.startLine);
  const req = new SipRequest(line.method, line.uri, h, EMPTY, line.version);
  let error = line.error ?? head.error;
  error ??= attempt(() => validateCommon(req));
  error ??= attempt(() => checkCSeqMethod(req));
  error ??= attempt(() => parseRequestUriOnce(req));
  const framing = frameBody(buf, head, req);
  error ??= framing;
  if (error) return fail(error, answerable(req) ? req : undefined);
  return { ok: true, message: req };
}

function parseResponse(buf: Buffer, head: Head): ParseResult {
  const h = head.headers;
  let res: SipResponse;
  try {
    const line = parseStatusLine(head.startLine);
    res = new SipResponse(line.status, line.reason, h, EMPTY, line.version);
  } catch (e) {
    return fail(asSyntaxError(e));
  }
  let error = head.error;
  error ??= attempt(() => validateCommon(res));
  // A response that cannot be matched to a transaction is dropped (RFC 3261 §18.1.2).
  error ??= attempt(() => requireComplete(res));
  error ??= frameBody(buf, head, res);
  if (error) return fail(error);
  return { ok: true, message: res };
}

const EMPTY = Buffer.alloc(0);

function attempt(f: () => void): SipSyntaxError | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return asSyntaxError(e);
  }
}

function asSyntaxError(e: unknown): SipSyntaxError {
  return e instanceof SipSyntaxError ? e : new SipSyntaxError(String((e as Error)?.message ?? e));
}

/** The header checks shared by requests and responses; typed views land in the cache. */
function validateCommon(m: SipMessage): void {
  const h = m.headers;
  if (vias(m).length === 0) throw new SipSyntaxError('missing Via');
  cseq(m);
  checkRepeats(h, 'cseq', parseCSeq);
  if (h.has('from')) from(m);
  checkRepeats(h, 'from', parseNameAddr);
  if (h.has('to')) to(m);
  checkRepeats(h, 'to', parseNameAddr);
  if (h.has('call-id')) callId(m);
  checkRepeats(h, 'call-id', validateCallId);
  maxForwards(m);
  checkRepeats(h, 'max-forwards', parseMaxForwards);
  contentLength(m);
  checkRepeats(h, 'content-length', parseContentLength);
  if (h.has('contact')) contacts(m);
  date(m);
}

/** The typed accessors parse the first value of a single-value header; this checks the others. */
function checkRepeats(h: HeaderList, name: string, parse: (v: string) => unknown): void {
  const values = h.getAll(name);
  for (let i = 1; i < values.length; i++) parse(values[i]!);
}

/** RFC 3261 §8.1.1.5: the CSeq method MUST match the request method (RFC 4475 §3.1.2.17/18). */
function checkCSeqMethod(req: SipRequest): void {
  const m = cseq(req).method;
  if (m !== req.method) throw new SipSyntaxError(`CSeq method ${m} does not match request method ${req.method}`);
}

/** A response needs its single From, To, Call-ID and CSeq to reach a transaction. */
function requireComplete(res: SipResponse): void {
  for (const name of ['from', 'to', 'call-id', 'cseq']) {
    const values = res.headers.getAll(name);
    if (values.length === 0) throw new SipSyntaxError(`missing ${name}`);
    for (const v of values) if (v !== values[0]) throw new SipSyntaxError(`conflicting ${name} values`);
  }
}

/**
 * Whether a 400 can be sent back: the top Via must parse, since the response is routed by it
 * (RFC 3261 §18.2.2), and From, To, Call-ID and CSeq must be present, since the response
 * copies them byte for byte (§8.2.6.2), malformed or not. So a request with an unquoted
 * comma in a display name (RFC 4475 §3.1.2.15 baddn) or an overlarge CSeq number
 * (§3.1.2.4 scalar02) still gets the 400 the RFC asks for.
 */
function answerable(req: SipRequest): boolean {
  const h = req.headers;
  if (!h.has('from') || !h.has('to') || !h.has('call-id') || !h.has('cseq')) return false;
  const top = h.get('via');
  return top !== undefined && attempt(() => parseVia(top)) === undefined;
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
  const values = m.headers.getAll('content-length');
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
    } else if (m instanceof SipResponse) {
      return new SipSyntaxError('conflicting Content-Length values');
    }
  }
  if (length > 0) m.body = Buffer.from(buf.subarray(head.bodyStart, head.bodyStart + length));
  return undefined;
}

// ---- start lines (RFC 3261 §7.1, §7.2) ----

interface RequestLine {
  method: string;
  uri: string;
  version: string;
  error?: SipSyntaxError;
}

/** Characters a Request-URI may contain (absoluteURI / SIP-URI, RFC 3261 §25.1). */
const URIC = charClass("-_.!~*'();/?:@&=+$,%[]");
const SCHEME = charClass('+-.');

/**
 * Request-Line = Method SP Request-URI SP SIP-Version CRLF, exactly one SP between the
 * elements (RFC 4475 §3.1.2.9 lwsstart, §3.1.2.10 trws), no LWS or <> in the URI
 * (§3.1.2.7 ltgtruri, §3.1.2.8 lwsruri). On error the fields are a best guess, so that a
 * 400 can still be sent when the headers allow it.
 */
function checkRequestLine(line: string): RequestLine {
  const parts = line.split(' ');
  const words = parts.filter((p) => p !== '');
  const guess: RequestLine = { method: words[0] ?? '', uri: words[1] ?? '', version: SIP_VERSION };
  if (parts.length !== 3 || words.length !== 3) return { ...guess, error: new SipSyntaxError('malformed Request-Line') };
  const [method, uri, version] = parts as [string, string, string];
  if (!isTokenString(method)) return { ...guess, error: new SipSyntaxError('method is not a token') };
  if (!isRequestUriText(uri)) return { ...guess, error: new SipSyntaxError('malformed Request-URI') };
  try {
    return { method, uri, version: parseVersion(version) };
  } catch (e) {
    return { ...guess, error: asSyntaxError(e) };
  }
}

function isRequestUriText(uri: string): boolean {
  const first = uri.charCodeAt(0);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return false;
  let i = 1;
  while (i < uri.length && inClass(SCHEME, uri.charCodeAt(i))) i++;
  if (uri.charCodeAt(i) !== 58 || i + 1 === uri.length) return false;
  for (i++; i < uri.length; i++) if (!inClass(URIC, uri.charCodeAt(i))) return false;
  return true;
}

/**
 * SIP and SIPS Request-URIs are parsed now (cached for checkRequest and the registrar).
 * Headers in a Request-URI are refused (RFC 3261 §19.1.1 Table 1; RFC 4475 §3.1.2.11
 * escruri). Other schemes are left to checkRequest (416).
 */
function parseRequestUriOnce(req: SipRequest): void {
  const scheme = req.uri.slice(0, 5).toLowerCase();
  if (!scheme.startsWith('sip:') && scheme !== 'sips:') return;
  const uri = requestUri(req);
  if (uri.scheme !== 'tel' && uri.headers.size > 0) throw new SipSyntaxError('headers are not allowed in a Request-URI');
}

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; anything but 2.0 is answered 505 (RFC 3261 §21.5.6). */
export function parseVersion(v: string): string {
  const upper = v.toUpperCase();
  const dot = upper.indexOf('.');
  const major = upper.slice(4, dot);
  const minor = upper.slice(dot + 1);
  if (!upper.startsWith('SIP/') || dot < 0 || !isDigitString(major) || !isDigitString(minor)) {
    throw new SipSyntaxError(`malformed SIP-Version ${JSON.stringify(v.slice(0, 20))}`);
  }
  if (upper !== SIP_VERSION) throw new SipSyntaxError(`SIP version ${v.slice(0, 20)} not supported`, 505);
  return SIP_VERSION;
}

function isDigitString(s: string): boolean {
  if (s.length === 0 || s.length > 3) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 48 || s.charCodeAt(i) > 57) return false;
  return true;
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; Status-Code is 3DIGIT, 100-699. */
function parseStatusLine(line: string): { version: string; status: number; reason: string } {
  const sp1 = line.indexOf(' ');
  if (sp1 < 0) throw new SipSyntaxError('malformed Status-Line');
  const version = parseVersion(line.slice(0, sp1));
  let sp2 = line.indexOf(' ', sp1 + 1);
  if (sp2 < 0) sp2 = line.length; // tolerate a missing SP before an empty Reason-Phrase
  const code = line.slice(sp1 + 1, sp2);
  // RFC 4475 §3.1.2.19 bigcode: 4294967301 is not a status code.
  if (code.length !== 3 || !isDigitString(code) || code < '100' || code > '699') {
    throw new SipSyntaxError(`bad status code ${JSON.stringify(code.slice(0, 12))}`);
  }
  return { version, status: Number(code), reason: line.slice(sp2 + 1) };
}
