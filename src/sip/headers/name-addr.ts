/**
 * name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1): the shape shared
 * by From, To, Contact, Route, Record-Route, Path, Service-Route, P-Asserted-Identity,
 * Refer-To, Referred-By.
 *
 *   ( name-addr / addr-spec ) *( SEMI generic-param )
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS) / quoted-string
 *
 * The URI is kept as written (parse it with src/sip/uri.ts when needed): To, From and Contact
 * may carry any scheme (RFC 4475 §3.3.4 unksm2), and most callers only compare or copy it.
 * Without angle brackets the URI may not contain `,`, `?` or `;` (RFC 3261 §20.10): what
 * follows a `;` is a header parameter (RFC 4475 §3.3.12 cparam01), and a `?` is an error
 * (RFC 4475 §3.1.2.13 regbadct).
 */
import { SipSyntaxError } from '../errors.js';
import type { SipMessage } from '../message.js';
import { charClass, expectEnd, formatParams, inClass, parseParams, quote, Scanner, TOKEN } from './grammar.js';

export interface NameAddr {
  /** Display name without quotes or escapes; absent when none was given. */
  displayName?: string;
  /** The URI as written, without the angle brackets. */
  uri: string;
  /** Header parameters in order, names lower-case, values as written (quotes kept). */
  params: Map<string, string | null>;
  /** The `tag` parameter (RFC 3261 §19.3). */
  tag?: string;
}

/** Characters an absolute URI may contain (RFC 2396 uric plus `[`, `]` for IPv6 hosts). */
const URIC = charClass("-_.!~*'();/?:@&=+$,%[]#");
/** URI characters allowed in an addr-spec written without angle brackets. */
const BARE_URIC = charClass("-_.!~*'()/:@&=+$%[]#");
const SCHEME = charClass('+-.');

/** Parses one field value that holds exactly one name-addr (From, To, Refer-To ...). */
export function parseNameAddr(value: string): NameAddr {
  const sc = new Scanner(value, 'name-addr');
  const n = scanNameAddr(sc);
  expectEnd(sc);
  return n;
}

/** Parses a comma-separated list of name-addrs (Contact, Route, Record-Route, Path ...). */
export function parseNameAddrList(value: string): NameAddr[] {
  const sc = new Scanner(value, 'name-addr list');
  const out: NameAddr[] = [];
  for (;;) {
    out.push(scanNameAddr(sc));
    if (!sc.eat(44 /* , */)) break;
  }
  expectEnd(sc);
  return out;
}

export function scanNameAddr(sc: Scanner): NameAddr {
  sc.skipWs();
  let displayName: string | undefined;
  let uri: string;
  const c = sc.peek();
  if (c === 34 /* " */) {
    displayName = sc.quoted();
    sc.skipWs();
    uri = scanBracketedUri(sc);
  } else if (c === 60 /* < */) {
    uri = scanBracketedUri(sc);
  } else {
    const tokens = scanDisplayTokens(sc);
    if (sc.peek() === 60) {
      if (tokens !== '') displayName = tokens;
      uri = scanBracketedUri(sc);
    } else {
      uri = scanBareUri(sc);
    }
  }
  const params = new Map<string, string | null>();
  parseParams(sc, params);
  const n: NameAddr = { uri, params };
  if (displayName !== undefined) n.displayName = displayName;
  const tag = params.get('tag');
  if (tag !== undefined) {
    if (tag === null || tag.charCodeAt(0) === 34) sc.fail('tag must be a token');
    n.tag = tag;
  }
  return n;
}

/**
 * display-name = *(token LWS): reads tokens separated by whitespace when they are followed
 * by `<`. Otherwise the cursor is put back (the text is an addr-spec) and '' is returned.
 */
function scanDisplayTokens(sc: Scanner): string {
  const start = sc.pos;
  let end = start;
  for (;;) {
    const t = sc.run(TOKEN);
    if (t === '') break;
    end = sc.pos;
    sc.skipWs();
  }
  if (sc.peek() === 60) return sc.text.slice(start, end);
  sc.pos = start;
  return '';
}

/** LAQUOT addr-spec RAQUOT: no whitespace inside the brackets (RFC 4475 §3.1.2.14 badaspec). */
function scanBracketedUri(sc: Scanner): string {
  if (sc.peek() !== 60) sc.fail('expected "<"');
  sc.pos++;
  const start = sc.pos;
  checkScheme(sc);
  sc.run(URIC);
  if (sc.peek() !== 62 /* > */) sc.fail('bad character in URI or missing ">"');
  const uri = sc.text.slice(start, sc.pos);
  sc.pos++;
  return uri;
}

function scanBareUri(sc: Scanner): string {
  const start = sc.pos;
  checkScheme(sc);
  sc.run(BARE_URIC);
  const c = sc.peek();
  if (c === 63 /* ? */) sc.fail('a URI with headers must be enclosed in <>');
  return sc.text.slice(start, sc.pos);
}

/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
function checkScheme(sc: Scanner): void {
  const s = sc.text;
  const first = s.charCodeAt(sc.pos);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) sc.fail('expected a URI');
  let i = sc.pos + 1;
  while (i < s.length && inClass(SCHEME, s.charCodeAt(i))) i++;
  if (s.charCodeAt(i) !== 58) sc.fail('expected a URI scheme');
}

/** Writes `"Display" <uri>;params`; the tag field wins over a `tag` in params. */
export function formatNameAddr(n: NameAddr): string {
  let out = n.displayName !== undefined && n.displayName !== '' ? `${quote(n.displayName)} <${n.uri}>` : `<${n.uri}>`;
  out += formatParams(n.params, TAG_SET);
  if (n.tag !== undefined) out += `;tag=${n.tag}`;
  return out;
}

const TAG_SET: ReadonlySet<string> = new Set(['tag']);

function single(name: string): (values: string[]) => NameAddr {
  return (values) => {
    if (values.length === 0) throw new SipSyntaxError(`missing ${name}`);
    return parseNameAddr(values[0]!);
  };
}

function list(values: string[]): NameAddr[] {
  if (values.length === 1) return parseNameAddrList(values[0]!);
  const out: NameAddr[] = [];
  for (const v of values) for (const n of parseNameAddrList(v)) out.push(n);
  return out;
}

const parseFrom = single('From');
const parseTo = single('To');

export function from(m: SipMessage): NameAddr {
  return m.headers.typed('from', parseFrom);
}

export function to(m: SipMessage): NameAddr {
  return m.headers.typed('to', parseTo);
}

/**
 * Contact values in order; `'*'` for the wildcard of RFC 3261 §10.2.2 (only valid alone);
 * `[]` when there is no Contact.
 */
export function contacts(m: SipMessage): NameAddr[] | '*' {
  return m.headers.typed('contact', parseContacts);
}

function parseContacts(values: string[]): NameAddr[] | '*' {
  if (values.length === 1 && values[0]!.trim() === '*') return '*';
  for (const v of values) if (v.trim() === '*') throw new SipSyntaxError('Contact: "*" must be the only Contact');
  return list(values);
}

export function routes(m: SipMessage): NameAddr[] {
  return m.headers.typed('route', list);
}

export function recordRoutes(m: SipMessage): NameAddr[] {
  return m.headers.typed('record-route', list);
}

/** Path (RFC 3327). */
export function paths(m: SipMessage): NameAddr[] {
  return m.headers.typed('path', list);
}

/** P-Asserted-Identity (RFC 3325 §9.1): one or two name-addrs. */
export function pAssertedIdentities(m: SipMessage): NameAddr[] {
  return m.headers.typed('p-asserted-identity', list);
}

/** Refer-To (RFC 3515 §2.1): exactly one. */
export function referTo(m: SipMessage): NameAddr | undefined {
  const v = m.headers.get('refer-to');
  return v === undefined ? undefined : m.headers.typed('refer-to', single('Refer-To'));
}
