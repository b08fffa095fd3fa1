/**
 * SIP, SIPS (RFC 3261 §19.1, §25.1) and tel (RFC 3966) URIs.
 *
 *   SIP-URI   = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
 *   userinfo  = ( user / telephone-subscriber ) [ ":" password ] "@"
 *   uri-parameters = *( ";" uri-parameter )
 *   headers   = "?" header *( "&" header )
 *
 * User, password, parameter names and values and header names and values are stored
 * unescaped (RFC 3261 §19.1.4: "escaped characters are compared unescaped"), so
 * `sip:cal%6Cer@h;%6C%72` has user "caller" and a flag parameter "lr" (RFC 4475 §3.1.1.3
 * esc01). formatUri escapes them again where the grammar requires it.
 */
import { SipSyntaxError } from './errors.js';
import type { SipRequest } from './message.js';
import { charClass, HEX, inClass, scanHost, scanPort, Scanner } from './headers/grammar.js';

export interface SipUri {
  scheme: 'sip' | 'sips';
  /** Unescaped; may contain any character, NUL included (RFC 4475 §3.1.1.4 escnull). */
  user?: string;
  password?: string;
  /** Lower-case; an IPv6 reference keeps its brackets. */
  host: string;
  port?: number;
  /** Names lower-case, names and values unescaped; `null` for a parameter without value. */
  params: Map<string, string | null>;
  /** Header names and values unescaped, names as written (one shared empty map when there are none: read-only). */
  headers: ReadonlyMap<string, string>;
}

/** The `headers` of every URI without any (nearly all: RFC 3261 §19.1.1 allows them in few places). */
const NO_HEADERS: ReadonlyMap<string, string> = new Map();

export interface TelUri {
  scheme: 'tel';
  /** The telephone-subscriber number as written, e.g. "+1-201-555-0123" or "7042". */
  number: string;
  params: Map<string, string | null>;
}

export type Uri = SipUri | TelUri;

/** user = 1*( unreserved / escaped / user-unreserved ) */
const USER = charClass("-_.!~*'()&=+$,;?/%");
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
const PASSWORD = charClass("-_.!~*'()&=+$,%");
/** paramchar = param-unreserved / unreserved / escaped */
const PARAMCHAR = charClass("-_.!~*'()[]/:&+$%");
/** hname / hvalue = *( hnv-unreserved / unreserved / escaped ) */
const HNV = charClass("-_.!~*'()[]/?:+$%");
const SCHEME = charClass('+-.');
/** RFC 3966 phonedigit-hex / visual separators, and the characters of par values. */
const TEL_NUMBER = charClass('*#+-.()', false);
for (const c of '0123456789abcdefABCDEF') TEL_NUMBER[c.charCodeAt(0)] = 1;
const TEL_PARAM = charClass("-_.!~*'()[]/:&+$%");

/**
 * Parses a URI. Throws SipSyntaxError with status 416 (RFC 3261 §21.4.14) for a well-formed
 * URI of a scheme other than sip, sips and tel, and 400 for a malformed one.
 */
export function parseUri(s: string): Uri {
  const colon = schemeEnd(s);
  const scheme = s.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(s, scheme, colon + 1);
  if (scheme === 'tel') return parseTelUri(s, colon + 1);
  throw new SipSyntaxError(`unsupported URI scheme ${JSON.stringify(scheme)}`, 416);
}

/** Index of the ':' that ends `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`. */
function schemeEnd(s: string): number {
  const first = s.charCodeAt(0);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) throw new SipSyntaxError('URI: bad scheme');
  let i = 1;
  while (i < s.length && inClass(SCHEME, s.charCodeAt(i))) i++;
  if (s.charCodeAt(i) !== 58) throw new SipSyntaxError('URI: missing ":" after scheme');
  return i;
}

function parseSipUri(s: string, scheme: 'sip' | 'sips', start: number): SipUri {
  const sc = new Scanner(s, 'SIP URI');
  sc.pos = start;
  const uri: SipUri = { scheme, host: '', params: new Map(), headers: NO_HEADERS };
  // userinfo ends at the first "@": neither user, password, parameters nor headers may
  // hold an unescaped "@" (RFC 4475 §3.1.1.9 semiuri: the user part is "user;par=u@example.net").
  const at = s.indexOf('@', start);
  if (at >= 0) {
    scanUserinfo(sc, uri, at);
    sc.pos = at + 1;
  }
  uri.host = scanHost(sc).toLowerCase();
  if (sc.peek() === 58) {
    sc.pos++;
    uri.port = scanPort(sc);
  }
  while (sc.peek() === 59 /* ; */) {
    sc.pos++;
    const name = unescape(sc.need(PARAMCHAR, 'a parameter name'), sc).toLowerCase();
    let value: string | null = null;
    if (sc.peek() === 61) {
      sc.pos++;
      value = unescape(sc.need(PARAMCHAR, "a parameter value"), sc);
    }
    if (uri.params.has(name)) sc.fail(`parameter ${name} repeated`);
    uri.params.set(name, value);
  }
  if (sc.peek() === 63 /* ? */) scanHeaders(sc, uri);
  if (!sc.eof) sc.fail(`unexpected ${JSON.stringify(s[sc.pos])}`);
  return uri;
}

function scanUserinfo(sc: Scanner, uri: SipUri, at: number): void {
  const user = sc.run(USER);
  if (user === '') sc.fail('empty user part');
  uri.user = unescape(user, sc);
  if (sc.peek() === 58 /* : */) {
    sc.pos++;
    uri.password = unescape(sc.run(PASSWORD), sc);
  }
  if (sc.pos !== at) sc.fail('bad character in userinfo');
}

function scanHeaders(sc: Scanner, uri: SipUri): void {
  const headers = new Map<string, string>();
  do {
    sc.pos++;
    const name = unescape(sc.need(HNV, 'a header name'), sc);
    if (sc.peek() !== 61) sc.fail('expected "=" in URI header');
    sc.pos++;
    headers.set(name, unescape(sc.run(HNV), sc));
  } while (sc.peek() === 38 /* & */);
  uri.headers = headers;
}

/** RFC 3966: telephone-subscriber = global-number / local-number, then ;par. */
function parseTelUri(s: string, start: number): TelUri {
  const sc = new Scanner(s, 'tel URI');
  sc.pos = start;
  const number = sc.need(TEL_NUMBER, 'a telephone number');
  if (number === '+' || !/[0-9A-Fa-f*#]/.test(number)) sc.fail('no digits');
  const params = new Map<string, string | null>();
  while (sc.peek() === 59) {
    sc.pos++;
    const name = sc.need(TEL_PARAM, 'a parameter name').toLowerCase();
    let value: string | null = null;
    if (sc.peek() === 61) {
      sc.pos++;
      value = unescape(sc.need(TEL_PARAM, "a parameter value"), sc);
    }
    if (params.has(name)) sc.fail(`parameter ${name} repeated`);
    params.set(name, value);
  }
  if (!sc.eof) sc.fail(`unexpected ${JSON.stringify(s[sc.pos])}`);
  // RFC 3966 §5.1.5: a local number needs a phone-context.
  if (number[0] !== '+' && !params.has('phone-context')) sc.fail('local number without phone-context');
  return { scheme: 'tel', number, params };
}

/**
 * Decodes %HH escapes. The bytes are read as UTF-8 when they form valid UTF-8, otherwise
 * one character per byte; %00 stays a NUL character. A malformed escape is a syntax error.
 */
function unescape(s: string, sc: Scanner): string {
  let i = s.indexOf('%');
  if (i < 0) return s;
  const bytes: number[] = [];
  let out = '';
  let last = 0;
  for (; i >= 0; i = s.indexOf('%', i)) {
    if (!inClass(HEX, s.charCodeAt(i + 1)) || !inClass(HEX, s.charCodeAt(i + 2))) sc.fail('bad escape');
    if (i > last) out += flushBytes(bytes) + s.slice(last, i);
    bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
    i += 3;
    last = i;
  }
  return out + flushBytes(bytes) + s.slice(last);
}

/** Pending escaped bytes as text (UTF-8 when valid, else one character per byte); empties `bytes`. */
function flushBytes(bytes: number[]): string {
  if (bytes.length === 0) return '';
  const buf = Buffer.from(bytes);
  bytes.length = 0;
  const utf8 = buf.toString('utf8');
  return Buffer.from(utf8, 'utf8').equals(buf) ? utf8 : buf.toString('latin1');
}

/** Escapes `%` and every character outside `allowed` (UTF-8 bytes for non-ASCII). */
function escape(s: string, allowed: Uint8Array): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) if (!inClass(allowed, s.charCodeAt(i)) || s.charCodeAt(i) === 37) plain = false;
  if (plain) return s;
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code < 128 && code !== 37 && inClass(allowed, code)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}

export function formatUri(u: Uri): string {
  if (u.scheme === 'tel') {
    let out = `tel:${u.number}`;
    for (const [k, v] of u.params) out += v === null ? `;${k}` : `;${k}=${escape(v, TEL_PARAM)}`;
    return out;
  }
  let out = `${u.scheme}:`;
  if (u.user !== undefined) {
    out += escape(u.user, USER);
    if (u.password !== undefined) out += ':' + escape(u.password, PASSWORD);
    out += '@';
  }
  out += u.host;
  if (u.port !== undefined) out += `:${u.port}`;
  for (const [k, v] of u.params) out += v === null ? `;${escape(k, PARAMCHAR)}` : `;${escape(k, PARAMCHAR)}=${escape(v, PARAMCHAR)}`;
  let sep = '?';
  for (const [k, v] of u.headers) {
    out += `${sep}${escape(k, HNV)}=${escape(v, HNV)}`;
    sep = '&';
  }
  return out;
}

/** Parameters that must match when either URI has them (RFC 3261 §19.1.4). */
const MUST_MATCH = ['user', 'ttl', 'method', 'maddr', 'transport'];

/**
 * URI equality of RFC 3261 §19.1.4: scheme, userinfo (case-sensitive), host
 * (case-insensitive), port (absent differs from 5060), the user/ttl/method/maddr/transport
 * parameters when either has them, other parameters when both have them (values compared
 * case-insensitively), and headers all present in both with equal values.
 */
export function sipUriEquals(a: SipUri, b: SipUri): boolean {
  if (a.scheme !== b.scheme || a.user !== b.user || a.password !== b.password) return false;
  if (a.host !== b.host || a.port !== b.port) return false;
  for (const k of MUST_MATCH) if (a.params.has(k) !== b.params.has(k)) return false;
  for (const [k, v] of a.params) {
    if (!b.params.has(k)) continue;
    const w = b.params.get(k)!;
    if (v === null || w === null ? v !== w : v.toLowerCase() !== w.toLowerCase()) return false;
  }
  if (a.headers.size !== b.headers.size) return false;
  for (const [k, v] of a.headers) {
    const w = findHeader(b.headers, k);
    if (w === undefined || w !== v) return false;
  }
  return true;
}

function findHeader(h: ReadonlyMap<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of h) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * The parsed Request-URI of a request, parsed once while that request is handled: the
 * checks, the registrar and the digest check each ask for it. Treat the result as
 * read-only; assigning a new `req.uri` string makes the next call parse again.
 *
 * The memo holds the last two requests asked about (two, so comparing two requests -
 * RFC 2543 matching - does not parse on every call). A WeakMap keyed by request would do the
 * same, but every entry is an ephemeron the garbage collector must process, once per
 * request received.
 */
export function requestUri(req: SipRequest): Uri {
  if (req === memo[0].req && req.uri === memo[0].raw) return memo[0].uri!;
  if (req === memo[1].req && req.uri === memo[1].raw) return memo[1].uri!;
  const uri = parseUri(req.uri);
  const slot = memo[memoNext]!;
  memoNext ^= 1;
  slot.req = req;
  slot.raw = req.uri;
  slot.uri = uri;
  return uri;
}

interface RequestUriMemo {
  req: SipRequest | undefined;
  raw: string;
  uri: Uri | undefined;
}

const memo: [RequestUriMemo, RequestUriMemo] = [
  { req: undefined, raw: '', uri: undefined },
  { req: undefined, raw: '', uri: undefined },
];
let memoNext = 0;
