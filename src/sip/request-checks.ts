/**
 * The checks a UAS core (and this B2BUA) makes on a request before acting on it (RFC 3261
 * §8.2), in the RFC's order, each producing the response the RFC names:
 *
 *   version ............................ 505 (§8.2 via §21.5.6; RFC 4475 §3.1.2.16)
 *   mandatory / single-value headers ... 400 (§8.1.1, §20; RFC 4475 §3.3.1 insuf, §3.3.8 multi01, §3.3.9 mcl01)
 *   CSeq method = request method ....... 400 (§8.1.1.5; RFC 4475 §3.1.2.17)
 *   Max-Forwards 0 when forwarding ..... 483 (§16.3 step 3; RFC 4475 §3.3.11 zeromf)
 *   method ............................. 405 + Allow, or 501 when unknown (§8.2.1)
 *   Request-URI scheme ................. 416 (§8.2.2.1; RFC 4475 §3.3.2 unkscm, §3.3.3 novelsc)
 *   Require / Proxy-Require ............ 420 + Unsupported (§8.2.2.3; RFC 4475 §3.3.5 bext01)
 *   Content-Type / Content-Encoding .... 415 + Accept / Accept-Encoding (§8.2.3; RFC 4475 §3.3.6 invut)
 *   Accept without application/sdp ..... 406 + Warning 399 for INVITE (RFC 4475 §3.3.15 sdp01)
 *
 * The parser has already rejected malformed syntax; these are the semantic checks, and they
 * also guard requests that code built by hand.
 */
import { SipSyntaxError } from './errors.js';
import type { SipRequest, SipResponse } from './message.js';
import { SIP_VERSION } from './message.js';
import { callId } from './headers/call-id.js';
import { accept, contentType, mediaRangeMatches } from './headers/content-type.js';
import { cseq } from './headers/cseq.js';
import { splitAll } from './headers/list.js';
import { maxForwards } from './headers/max-forwards.js';
import { from, to } from './headers/name-addr.js';
import { proxyRequire, requireTags } from './headers/option-tags.js';
import { vias } from './headers/via.js';
import { createResponse, statelessToTag } from './response.js';
import { requestUri } from './uri.js';

/** Methods registered with IANA for SIP; any other method is answered 501 (§8.2.1). */
export const KNOWN_METHODS: readonly string[] = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'UPDATE',
  'INFO', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE', 'PUBLISH',
];

export interface RequestCheckOptions {
  /** Option tags this element implements (Require / Proxy-Require). Default: none. */
  supportedOptionTags?: readonly string[];
  /** Body types accepted, as `type/subtype`, overall or per method. Default: application/sdp. */
  acceptedContentTypes?: readonly string[] | ((method: string) => readonly string[]);
  /** Methods handled; a known method outside it gets 405 + Allow. Default: KNOWN_METHODS. */
  allowedMethods?: readonly string[];
  /** Request-URI schemes accepted; others get 416. Default: sip, sips, tel. */
  uriSchemes?: readonly string[];
  /**
   * Whether this element sends the request on (the B2BUA's other leg), so that Max-Forwards 0
   * is answered 483. False for what it consumes itself (REGISTER at its registrar, OPTIONS
   * pings): "an endpoint should process the request as if Max-Forwards were still positive"
   * (RFC 4475 §3.3.11). Default: true.
   */
  willForward?: boolean;
  /** To tag for the rejection; default statelessToTag(req), the same for every retransmission (§8.2.7). */
  toTag?: string;
  /** warn-agent for Warning headers (RFC 3261 §20.43); default 'softswitch'. */
  warnAgent?: string;
}

/** What is wrong with a request: the status to answer and the headers that answer needs. */
export interface RequestProblem {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
}

const SINGLE_VALUE = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type'];
const MANDATORY = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];
/** The typed reads that must succeed, with the name a 400 gives (module-level: nothing allocated per request). */
const READERS: ReadonlyArray<readonly [string, (req: SipRequest) => unknown]> = [
  ['Via', vias],
  ['From', from],
  ['To', to],
  ['Call-ID', callId],
  ['CSeq', cseq],
  ['Max-Forwards', maxForwards],
];

/**
 * Runs the checks and builds the rejection, or returns undefined when the request may be
 * handled. An ACK is never answered (RFC 3261 §17.1.1.3, §17.2.1): for ACK this returns
 * undefined; use findRequestProblem to decide whether to drop it.
 */
export function checkRequest(req: SipRequest, opts: RequestCheckOptions = {}): SipResponse | undefined {
  if (req.method === 'ACK') return undefined;
  const problem = findRequestProblem(req, opts);
  if (!problem) return undefined;
  const res = createResponse(req, problem.status, problem.reason, { toTag: opts.toTag ?? statelessToTag(req) });
  for (const [name, value] of problem.headers) res.headers.append(name, value);
  return res;
}

/** The first problem the checks find, in RFC 3261 §8.2 order, or undefined. */
export function findRequestProblem(req: SipRequest, opts: RequestCheckOptions = {}): RequestProblem | undefined {
  return (
    checkStructure(req) ??
    checkMaxForwards(req, opts) ??
    checkMethod(req, opts) ??
    checkRequestUri(req, opts) ??
    checkExtensions(req, opts) ??
    checkBody(req, opts) ??
    checkAccept(req, opts)
  );
}

function problem(status: number, reason: string, headers: Array<[string, string]> = []): RequestProblem {
  return { status, reason, headers };
}

/** Version, presence, uniqueness and syntax of the headers every request carries. */
function checkStructure(req: SipRequest): RequestProblem | undefined {
  if (req.version !== SIP_VERSION) return problem(505, 'Version Not Supported');
  const h = req.headers;
  for (const name of MANDATORY) if (!h.has(name)) return problem(400, `Missing ${name}`);
  for (const name of SINGLE_VALUE) if (h.count(name) > 1) return problem(400, `Multiple ${name} values`);
  for (const [name, read] of READERS) {
    try {
      read(req);
    } catch {
      return problem(400, `Malformed ${name}`);
    }
  }
  if (cseq(req).method !== req.method) return problem(400, 'CSeq method does not match the request method');
  return undefined;
}

function checkMaxForwards(req: SipRequest, opts: RequestCheckOptions): RequestProblem | undefined {
  if (opts.willForward === false || req.method === 'ACK') return undefined;
  return maxForwards(req) === 0 ? problem(483, 'Too Many Hops') : undefined;
}

function checkMethod(req: SipRequest, opts: RequestCheckOptions): RequestProblem | undefined {
  const allowed = opts.allowedMethods ?? KNOWN_METHODS;
  if (allowed.includes(req.method)) return undefined;
  if (!KNOWN_METHODS.includes(req.method)) return problem(501, 'Not Implemented');
  return problem(405, 'Method Not Allowed', [['Allow', allowed.join(', ')]]);
}

function checkRequestUri(req: SipRequest, opts: RequestCheckOptions): RequestProblem | undefined {
  const schemes = opts.uriSchemes ?? ['sip', 'sips', 'tel'];
  const colon = req.uri.indexOf(':');
  const scheme = req.uri.slice(0, colon < 0 ? 0 : colon).toLowerCase();
  if (!schemes.includes(scheme)) return problem(416, 'Unsupported URI Scheme');
  try {
    const uri = requestUri(req);
    if (uri.scheme !== 'tel' && uri.headers.size > 0) return problem(400, 'Headers in Request-URI');
  } catch (e) {
    const status = e instanceof SipSyntaxError ? e.status : 400;
    return problem(status, status === 416 ? 'Unsupported URI Scheme' : 'Malformed Request-URI');
  }
  return undefined;
}

/** §8.2.2.3; Require and Proxy-Require are ignored in CANCEL (and ACK). */
function checkExtensions(req: SipRequest, opts: RequestCheckOptions): RequestProblem | undefined {
  if (req.method === 'CANCEL') return undefined;
  // The usual request requires nothing: no lists to build.
  if (!req.headers.has('require') && !req.headers.has('proxy-require')) return undefined;
  const supported = opts.supportedOptionTags ?? [];
  let tags: string[];
  try {
    // A B2BUA forwards like a proxy, so Proxy-Require binds it as well as Require.
    tags = [...requireTags(req), ...proxyRequire(req)];
  } catch {
    return problem(400, 'Malformed Require');
  }
  const unknown = [...new Set(tags.filter((t) => !supported.includes(t)))];
  return unknown.length ? problem(420, 'Bad Extension', [['Unsupported', unknown.join(', ')]]) : undefined;
}

function acceptedTypes(req: SipRequest, opts: RequestCheckOptions): readonly string[] {
  const a = opts.acceptedContentTypes ?? ['application/sdp'];
  return typeof a === 'function' ? a(req.method) : a;
}

/** §8.2.3: a body the UAS cannot read is refused with what it can read. */
function checkBody(req: SipRequest, opts: RequestCheckOptions): RequestProblem | undefined {
  if (req.body.length === 0 || req.method === 'CANCEL') return undefined;
  const types = acceptedTypes(req, opts);
  const encodings = splitAll(req.headers.getAll('Content-Encoding')).map((e) => e.toLowerCase());
  if (encodings.some((e) => e !== 'identity')) return problem(415, 'Unsupported Media Type', [['Accept-Encoding', 'identity']]);
  let ct;
  try {
    ct = contentType(req);
  } catch {
    return problem(400, 'Malformed Content-Type');
  }
  // §20.15: Content-Type MUST be present when there is a body.
  if (!ct) return problem(400, 'Missing Content-Type');
  if (!types.includes(`${ct.type}/${ct.subtype}`)) return problem(415, 'Unsupported Media Type', [['Accept', types.join(', ')]]);
  return undefined;
}

/**
 * RFC 4475 §3.3.15: an INVITE whose Accept leaves out application/sdp cannot be answered
 * with a session description; 406 with a Warning 399 says why (§21.4.7, §20.43).
 */
function checkAccept(req: SipRequest, opts: RequestCheckOptions): RequestProblem | undefined {
  if (req.method !== 'INVITE') return undefined;
  let ranges;
  try {
    ranges = accept(req);
  } catch {
    return problem(400, 'Malformed Accept');
  }
  if (ranges === undefined || ranges.some((r) => mediaRangeMatches(r, 'application', 'sdp'))) return undefined;
  const agent = opts.warnAgent ?? 'softswitch';
  return problem(406, 'Not Acceptable', [['Warning', `399 ${agent} "The answer can only be application/sdp"`]]);
}
