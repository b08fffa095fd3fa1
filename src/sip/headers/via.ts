/**
 * Via (RFC 3261 §20.42, §25.1), with the received parameter of §18.2.1 and rport of RFC 3581.
 *
 *   via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport
 *   sent-by       = host [ COLON port ]
 *
 * One field value may carry several via-parms separated by commas.
 */
import { SipSyntaxError } from '../errors.js';
import type { SipMessage } from '../message.js';
import { parseBoundedInt, parseParams, scanHost, scanPort, Scanner, expectEnd } from './grammar.js';

export interface Via {
  /** 'SIP/2.0' (protocol name upper-cased). */
  protocol: string;
  /** Upper-case: UDP, TCP, TLS, WS, WSS, SCTP or any extension token. */
  transport: string;
  /** sent-by host as written (IPv6 keeps its brackets). */
  host: string;
  port?: number;
  /** Every parameter in wire order, names lower-case; `null` marks a flag. */
  params: Map<string, string | null>;
  branch?: string;
  /** RFC 3261 §18.2.1. */
  received?: string;
  /** RFC 3581: `null` when present without a value (a request asking for it). */
  rport?: number | null;
}

/** Parses one Via field value (one or more comma-separated via-parms). */
export function parseVia(value: string): Via[] {
  const sc = new Scanner(value, 'Via');
  const out: Via[] = [];
  for (;;) {
    out.push(scanViaParm(sc));
    if (!sc.eat(44 /* , */)) break;
  }
  expectEnd(sc);
  return out;
}

function scanViaParm(sc: Scanner): Via {
  sc.skipWs();
  const name = sc.token().toUpperCase();
  sc.expect(47, '"/"');
  sc.skipWs();
  const version = sc.token();
  sc.expect(47, '"/"');
  sc.skipWs();
  const transport = sc.token().toUpperCase();
  const before = sc.pos;
  sc.skipWs();
  if (sc.pos === before) sc.fail('expected LWS before sent-by');
  const host = scanHost(sc);
  let port: number | undefined;
  if (sc.eat(58 /* : */)) {
    sc.skipWs();
    port = scanPort(sc);
  }
  const params = new Map<string, string | null>();
  parseParams(sc, params);
  // One object shape for every Via (absent fields are undefined), which keeps property access monomorphic.
  return { protocol: `${name}/${version}`, transport, host, port, params, branch: branchOf(params, sc), received: receivedOf(params, sc), rport: rportOf(params) };
}

function branchOf(p: Map<string, string | null>, sc: Scanner): string | undefined {
  const branch = p.get('branch');
  // via-branch = "branch" EQUAL token
  if (branch === null || (branch !== undefined && branch.charCodeAt(0) === 34)) sc.fail('branch must be a token');
  return branch;
}

function receivedOf(p: Map<string, string | null>, sc: Scanner): string | undefined {
  const received = p.get('received');
  if (received === null) sc.fail('received needs a value');
  return received;
}

function rportOf(p: Map<string, string | null>): number | null | undefined {
  const r = p.get('rport');
  if (r === undefined || r === null) return r;
  return parseBoundedInt(r, 65535, 'Via: rport', 5);
}

/** Writes one via-parm. branch, received and rport come from the typed fields, in their parameter's place. */
export function formatVia(v: Via): string {
  let out = v.port === undefined ? `${v.protocol}/${v.transport} ${v.host}` : `${v.protocol}/${v.transport} ${v.host}:${v.port}`;
  let branch = false;
  let received = false;
  let rport = false;
  v.params.forEach((val, k) => {
    if (k === 'branch') {
      out += branchParam(v);
      branch = true;
    } else if (k === 'received') {
      out += receivedParam(v);
      received = true;
    } else if (k === 'rport') {
      out += rportParam(v);
      rport = true;
    } else out += val === null ? `;${k}` : `;${k}=${val}`;
  });
  if (!branch) out += branchParam(v);
  if (!received) out += receivedParam(v);
  if (!rport) out += rportParam(v);
  return out;
}

function branchParam(v: Via): string {
  return v.branch !== undefined ? `;branch=${v.branch}` : '';
}

function receivedParam(v: Via): string {
  return v.received !== undefined ? `;received=${v.received}` : '';
}

function rportParam(v: Via): string {
  if (v.rport === undefined) return '';
  return v.rport === null ? ';rport' : `;rport=${v.rport}`;
}

function parseAllVias(values: string[]): Via[] {
  if (values.length === 1) return parseVia(values[0]!);
  const out: Via[] = [];
  for (const v of values) for (const via of parseVia(v)) out.push(via);
  return out;
}

/** Every Via value of a message in order (top first), parsed once and cached. */
export function vias(m: SipMessage): Via[] {
  return m.headers.typed('via', parseAllVias);
}

/** The top Via; throws SipSyntaxError when there is none or a Via is malformed. */
export function topVia(m: SipMessage): Via {
  const top = vias(m)[0];
  if (!top) throw new SipSyntaxError('missing Via');
  return top;
}

/** RFC 3261 §8.1.1.7: branches of RFC 3261 elements begin with the magic cookie. */
export const MAGIC_COOKIE = 'z9hG4bK';

/**
 * True when a branch is an RFC 3261 transaction identifier: the magic cookie followed by at
 * least one more character. A bare "z9hG4bK" (RFC 4475 §3.2.1 badbranch) is not one; the
 * transaction layer falls back to RFC 2543 matching (§17.2.3) or answers 400.
 */
export function isRfc3261Branch(branch: string | undefined): branch is string {
  return branch !== undefined && branch.length > MAGIC_COOKIE.length && branch.startsWith(MAGIC_COOKIE);
}
