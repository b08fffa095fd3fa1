/**
 * Authorization, Proxy-Authorization, WWW-Authenticate, Proxy-Authenticate (RFC 3261 §20.7,
 * §20.27, §20.28, §20.44; RFC 7616 Digest, as used by SIP through RFC 8760).
 *
 *   credentials / challenge = auth-scheme LWS auth-param *( COMMA auth-param )
 *   auth-param = auth-param-name EQUAL ( token / quoted-string )
 *
 * These fields are never split on commas: the commas separate parameters of one value, and
 * quoted values may hold commas too (qop="auth,auth-int"). Each field is one set of
 * credentials or one challenge. A scheme this stack does not know still parses (RFC 4475
 * §3.3.7 regaut01), so the registrar can answer 401 with its own challenge.
 */
import { SipSyntaxError } from '../errors.js';
import type { SipMessage } from '../message.js';
import { charClass, inClass, lowerAscii, quote, Scanner, TOKEN } from './grammar.js';

export interface AuthParams {
  /** As written, e.g. 'Digest' (compare case-insensitively, RFC 7616 §3.3). */
  scheme: string;
  /** Names lower-case; values unquoted and unescaped. */
  params: Map<string, string>;
  /** RFC 7235 token68 form (e.g. `Bearer abc=`), when the scheme used it instead of params. */
  token68?: string;
}

const TOKEN68 = charClass('-._~+/');

export function parseAuthHeader(value: string): AuthParams {
  const params = new Map<string, string>();
  const head = scanAuthValue(value, (name, v) => !params.has(name) && (params.set(name, v), true));
  return head.token68 === undefined ? { scheme: head.scheme, params } : { scheme: head.scheme, params, token68: head.token68 };
}

/**
 * Reads one credentials or challenge value and hands each auth-param to `param` as it is read
 * (name lower-case, value unquoted and unescaped), so a reader that wants a few known
 * parameters needs no Map. `param` returns false for a parameter it has seen already: a
 * repeated parameter is a syntax error. Returns the scheme, and the token68 when the value
 * has that form instead of parameters.
 */
export function scanAuthValue(value: string, param: (name: string, value: string) => boolean): { scheme: string; token68?: string } {
  const sc = new Scanner(value, 'authorization');
  sc.skipWs();
  const scheme = sc.token();
  sc.skipWs();
  if (sc.eof) return { scheme };
  const t68 = tryToken68(sc);
  if (t68 !== undefined) return { scheme, token68: t68 };
  for (;;) {
    sc.skipWs();
    const name = lowerAscii(sc.token());
    sc.expect(61, '"="');
    sc.skipWs();
    const v = sc.peek() === 34 ? sc.quoted() : sc.token();
    if (!param(name, v)) sc.fail(`parameter ${name} repeated`);
    if (!sc.eat(44 /* , */)) break;
  }
  sc.skipWs();
  if (!sc.eof) sc.fail('unexpected text after the parameters');
  return { scheme };
}

/**
 * token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 7235 §2.1),
 * alone up to the end of the value. `name=value` is an auth-param, not token68.
 */
function tryToken68(sc: Scanner): string | undefined {
  const s = sc.text;
  let i = sc.pos;
  while (i < s.length && inClass(TOKEN68, s.charCodeAt(i))) i++;
  if (i === sc.pos) return undefined;
  while (s.charCodeAt(i) === 61) i++;
  let end = i;
  while (s.charCodeAt(end) === 32 || s.charCodeAt(end) === 9) end++;
  if (end !== s.length) return undefined;
  const t = s.slice(sc.pos, i);
  sc.pos = end;
  return t;
}

function parseAll(values: string[]): AuthParams[] {
  return values.map(parseAuthHeader);
}

/** Every Authorization (or Proxy-Authorization) field, one credentials each, in order. */
export function authorizations(m: SipMessage, header: 'Authorization' | 'Proxy-Authorization' = 'Authorization'): AuthParams[] {
  return m.headers.typed(header, parseAll);
}

/** Every WWW-Authenticate (or Proxy-Authenticate) challenge, in order. */
export function challenges(m: SipMessage, header: 'WWW-Authenticate' | 'Proxy-Authenticate' = 'WWW-Authenticate'): AuthParams[] {
  return m.headers.typed(header, parseAll);
}

/** RFC 7616 §3.3: parameters of a challenge written as quoted-string. */
const CHALLENGE_QUOTED = new Set(['realm', 'domain', 'nonce', 'opaque', 'qop']);
/** RFC 7616 §3.3: parameters of a challenge written as tokens. */
const CHALLENGE_TOKEN = new Set(['algorithm', 'stale', 'charset', 'userhash']);
/** RFC 7616 §3.4: parameters of credentials written as quoted-string. */
const CREDENTIALS_QUOTED = new Set(['username', 'realm', 'nonce', 'uri', 'response', 'cnonce', 'opaque']);
/** RFC 7616 §3.4: parameters of credentials written as tokens (username* is an ext-value). */
const CREDENTIALS_TOKEN = new Set(['algorithm', 'qop', 'nc', 'userhash', 'username*']);

/** A WWW-Authenticate / Proxy-Authenticate value, e.g. `Digest realm="x", nonce="y", algorithm=SHA-256`. */
export function formatChallenge(scheme: string, params: Array<[string, string]>): string {
  return format(scheme, params, CHALLENGE_QUOTED, CHALLENGE_TOKEN);
}

/** An Authorization / Proxy-Authorization value as a UAC writes it (RFC 7616 §3.4). */
export function formatCredentials(scheme: string, params: Array<[string, string]>): string {
  return format(scheme, params, CREDENTIALS_QUOTED, CREDENTIALS_TOKEN);
}

function format(scheme: string, params: Array<[string, string]>, quoted: Set<string>, tokens: Set<string>): string {
  if (!isToken(scheme)) throw new SipSyntaxError(`auth scheme ${JSON.stringify(scheme)} is not a token`);
  const parts = params.map(([name, value]) => {
    const key = name.toLowerCase();
    if (!isToken(name)) throw new SipSyntaxError(`auth parameter ${JSON.stringify(name)} is not a token`);
    if (quoted.has(key)) return `${name}=${quote(value)}`;
    if (tokens.has(key)) {
      if (!isToken(value)) throw new SipSyntaxError(`${name} must be a token`);
      return `${name}=${value}`;
    }
    // Unknown parameters: a token as is, anything else quoted (auth-param = token / quoted-string).
    return `${name}=${isToken(value) ? value : quote(value)}`;
  });
  return parts.length ? `${scheme} ${parts.join(', ')}` : scheme;
}

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!inClass(TOKEN, s.charCodeAt(i))) return false;
  return true;
}
