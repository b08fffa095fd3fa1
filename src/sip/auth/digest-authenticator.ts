/**
 * Server-side Digest authentication (RFC 3261 §22, RFC 7616, RFC 8760), sans-IO: a request
 * in, an outcome out, and the challenge response to send when asked. The same authenticator
 * serves REGISTER (401 + WWW-Authenticate) and, through `header: 'Proxy-Authorization'`,
 * INVITE and other requests (407 + Proxy-Authenticate, RFC 3261 §22.3).
 *
 * Order of checks on credentials addressed to us (see digest-credentials.ts):
 *   1. `uri` must name the Request-URI (RFC 7616 §3.4.6 -> 400; RFC 3261 §22.4)
 *   2. the algorithm must be one offered to that username: the device's own list, or the
 *      configured one for devices without an override and for unknown usernames (so those two
 *      cannot be told apart); anything else is refused like a wrong password (401)
 *   3. the response digest, computed from the secret's H(A1), or from a random dummy H(A1)
 *      when the username is unknown, so unknown users cost the same hashing and get the same
 *      answer (no enumeration); compared in constant time (H(A1), H(A2) cached: one hash)
 *   4. the nonce: ours and younger than the lifetime, else stale=true (RFC 7616 §3.3), which is
 *      no failure because the client has just proven it knows the password
 *   5. the nonce count: higher than any seen with this nonce, else a replay (RFC 7616 §5.5)
 *   6. the device: a disabled one that knows its password gets 403, nothing else does
 *
 * Per-device algorithms: some phones abort on the first 401 in which any challenge names
 * SHA-256 (libre before 2024 - baresip 1.0 -, older pjsip: "unsupported digest algorithm")
 * instead of taking the first challenge they support (RFC 7616 §3.7, RFC 8760 §2.4). A device
 * may therefore carry its own list (`authAlgorithms` from the lookup). A request without
 * credentials is challenged with the list of the device it claims to be (challenged-username.ts),
 * so a device with an override is visible as existing to someone probing; devices without one
 * and unknown usernames get the configured default, indistinguishably.
 *
 * qop=auth only: auth-int would hash every body (SDP on INVITE) for integrity that TLS gives
 * properly, few phones implement it, and REGISTER has no body to protect.
 */
import { randomBytes } from 'node:crypto';
import { formatChallenge } from '../headers/auth.js';
import { SipSyntaxError } from '../errors.js';
import type { SipRequest, SipResponse } from '../message.js';
import { createResponse } from '../response.js';
import { responseToTag } from './response-tag.js';
import { challengedUsername } from './challenged-username.js';
import type { LocalHosts } from '../local-hosts.js';
import { parseUri, requestUri, sipUriEquals } from '../uri.js';
import type { Clock } from '../../time/clock.js';
import { baseAlgorithm, digestAlgorithm, qopAuthResponse, sessionHa1, type DigestAlgorithm } from './digest-algorithm.js';
import { pickCredentials, type DigestCredentials } from './digest-credentials.js';
import { DigestHashCache } from './digest-hash-cache.js';
import { NonceCountTracker } from './nonce-count.js';
import { NonceIssuer } from './nonce.js';

/** An algorithm that can be offered in a challenge; the -sess variants follow their base (RFC 7616 §3.4.2). */
export type OfferedAlgorithm = 'MD5' | 'SHA-256';

/** What the authenticator needs to know of a username (the store's `DeviceAuth` fits). */
export interface CredentialRecord {
  secret: string;
  enabled: boolean;
  /** Algorithms offered to this username, in challenge order; absent or `null` = the configured ones. */
  authAlgorithms?: readonly OfferedAlgorithm[] | null;
}

/** Credentials by digest username (the store's `devices.findForAuth` fits). */
export type CredentialLookup = (username: string) => CredentialRecord | undefined;

export type AuthHeader = 'Authorization' | 'Proxy-Authorization';

/** Why credentials were refused; each of these counts as a failure for the throttle. */
export type AuthFailureReason = 'wrong-password' | 'unknown-user' | 'replay' | 'uri-mismatch' | 'malformed' | 'algorithm-not-offered';

export type DigestOutcome =
  | { kind: 'authenticated'; username: string; algorithm: DigestAlgorithm }
  /**
   * No credentials for us (challenge them), or a stale nonce with the right password.
   * `algorithms`: what to offer in the challenge (the device's list or the configured one).
   */
  | { kind: 'challenge'; stale: boolean; algorithms: readonly OfferedAlgorithm[] }
  /** Credentials present but wrong: answer `status` (401 with a fresh challenge offering `algorithms`, or 400). */
  | { kind: 'failed'; reason: AuthFailureReason; username: string | undefined; status: 400 | 401; algorithms: readonly OfferedAlgorithm[] }
  /** The right password for a disabled device: 403. */
  | { kind: 'disabled'; username: string };

export interface DigestAuthenticatorOptions {
  /** Digest realm (RFC 3261 §22.1), e.g. the SIP domain. */
  realm: string;
  /**
   * Algorithms offered, one challenge each, in this order, to every username whose lookup
   * names none of its own. Default MD5 then SHA-256.
   */
  algorithms?: readonly OfferedAlgorithm[];
  /** Seconds a nonce stays valid. Default 300. */
  nonceLifetime?: number;
  lookup: CredentialLookup;
  clock: Clock;
  /** HMAC key for nonces; random per process by default (see nonce.ts on restarts). */
  nonceKey?: Buffer;
  /** Cap on nonce-count records (see nonce-count.ts). Default 65536. */
  maxTrackedNonces?: number;
  /**
   * Hosts that name this PBX. With them, a digest-uri that names the same user at another of
   * our names than the Request-URI is accepted (SIPp and several phones put the server's
   * address in `uri` while the Request-URI carries the domain: both name the same resource).
   */
  localHosts?: LocalHosts;
}

export interface AuthenticateOptions {
  /** Default Authorization (REGISTER, RFC 3261 §22.2); Proxy-Authorization for 407 flows. */
  header?: AuthHeader;
  /** Epoch ms; default the clock's. */
  now?: number;
}

export interface ChallengeOptions {
  header?: AuthHeader;
  stale?: boolean;
  now?: number;
  /**
   * Algorithms to offer (an outcome's `algorithms`); absent: those of the device the request
   * claims to be (To user of a REGISTER, From user otherwise), looked up here.
   */
  algorithms?: readonly OfferedAlgorithm[];
}

/** What pickCredentials may take: every algorithm that can be offered to some device. */
const COMPUTABLE: ReadonlySet<string> = new Set<OfferedAlgorithm>(['MD5', 'SHA-256']);

export class DigestAuthenticator {
  readonly realm: string;
  /** The configured algorithms: offered to every username without a list of its own. */
  readonly algorithms: readonly OfferedAlgorithm[];
  /** Nonce lifetime in ms. */
  readonly nonceLifetimeMs: number;
  private readonly lookup: CredentialLookup;
  private readonly clock: Clock;
  private readonly nonces: NonceIssuer;
  private readonly counts: NonceCountTracker;
  private readonly hashes: DigestHashCache;
  private readonly localHosts: LocalHosts | undefined;
  /** Each algorithm's challenge as the text before and after its nonce (formatted once). */
  private readonly challengeTemplates: Record<OfferedAlgorithm, readonly [string, string]>;
  /** Outcomes without credentials for us, for the configured algorithms (no allocation). */
  private readonly challengeDefault: DigestOutcome;

  constructor(opts: DigestAuthenticatorOptions) {
    this.realm = opts.realm;
    this.algorithms = opts.algorithms ?? ['MD5', 'SHA-256'];
    if (this.algorithms.length === 0) throw new RangeError('at least one digest algorithm must be offered');
    this.challengeDefault = { kind: 'challenge', stale: false, algorithms: this.algorithms };
    this.nonceLifetimeMs = (opts.nonceLifetime ?? 300) * 1000;
    this.lookup = opts.lookup;
    this.clock = opts.clock;
    this.nonces = new NonceIssuer(opts.nonceKey);
    this.counts = new NonceCountTracker(opts.maxTrackedNonces);
    this.hashes = new DigestHashCache(this.realm);
    this.localHosts = opts.localHosts;
    // The opaque carries nothing (the nonce authenticates itself); RFC 7616 §3.3 lets a
    // server send one, and some clients expect it. Fixed per process.
    const opaque = randomBytes(12).toString('base64url');
    const NONCE = 'N0NCE';
    const template = (algorithm: OfferedAlgorithm): readonly [string, string] => {
      const text = formatChallenge('Digest', [
        ['realm', this.realm],
        ['nonce', NONCE],
        ['opaque', opaque],
        ['algorithm', algorithm],
        ['qop', 'auth'],
      ]);
      const at = text.indexOf(`nonce="${NONCE}"`) + 'nonce="'.length;
      return [text.slice(0, at), text.slice(at + NONCE.length)];
    };
    this.challengeTemplates = { MD5: template('MD5'), 'SHA-256': template('SHA-256') };
  }

  /** The algorithms offered to `username` (RFC 8760 §2.4 challenge order): its own list, or the configured one. */
  algorithmsFor(username: string | undefined): readonly OfferedAlgorithm[] {
    return username === undefined ? this.algorithms : this.offeredTo(this.lookup(username));
  }

  /** Checks the request's credentials in `header` (see the file comment for the order). */
  authenticate(req: SipRequest, opts: AuthenticateOptions = {}): DigestOutcome {
    const now = opts.now ?? this.clock.now();
    let pick;
    try {
      pick = pickCredentials(req.headers.getAll(opts.header ?? 'Authorization'), this.realm, COMPUTABLE);
    } catch (err) {
      if (err instanceof SipSyntaxError) return this.failed('malformed', undefined, 400, this.algorithms);
      throw err;
    }
    if (pick.kind === 'none') return this.challengeOutcome(false, this.algorithmsFor(challengedUsername(req)));
    if (pick.kind === 'malformed') return this.failed('malformed', pick.username, 400, this.algorithms);
    const c = pick.credentials;
    if (!sameRequestUri(c.uri, req, this.localHosts)) return this.failed('uri-mismatch', c.username, 400, this.algorithms);
    const account = this.lookup(c.username);
    const offered = this.offeredTo(account);
    // RFC 8760 §2.4 / RFC 7616 §3.7: the client answers one of the challenges it was sent; an
    // algorithm this username is not offered is refused before any hashing. An unknown user
    // and a device without an override take the same branch at the same cost.
    if (!offered.includes(baseAlgorithm(c.algorithm))) {
      return this.failed(account ? 'algorithm-not-offered' : 'unknown-user', c.username, 401, offered);
    }
    if (!this.responseMatches(c, req.method, account?.secret)) {
      return this.failed(account ? 'wrong-password' : 'unknown-user', c.username, 401, offered);
    }
    // From here on the client has proven it knows the password (an unknown user cannot get here).
    // A nonce with a count record was verified before: its MAC need not be checked again.
    const issuedAt = this.counts.issuedAt(c.nonce) ?? this.nonces.issuedAt(c.nonce);
    if (issuedAt === undefined || now - issuedAt > this.nonceLifetimeMs || issuedAt > now + this.nonceLifetimeMs) {
      return this.challengeOutcome(true, offered);
    }
    const verdict = this.counts.accept(c.nonce, c.nc, issuedAt, issuedAt + this.nonceLifetimeMs, now);
    if (verdict === 'forgotten') return this.challengeOutcome(true, offered);
    if (verdict === 'replay') return this.failed('replay', c.username, 401, offered);
    if (!account!.enabled) return { kind: 'disabled', username: c.username };
    return { kind: 'authenticated', username: c.username, algorithm: c.algorithm };
  }

  /**
   * WWW-Authenticate / Proxy-Authenticate values: one per algorithm (default: the configured
   * ones), in the given order, one fresh nonce shared.
   */
  challengeValues(now: number, stale = false, algorithms: readonly OfferedAlgorithm[] = this.algorithms): string[] {
    const nonce = this.nonces.issue(now); // base64url: nothing to escape inside the quotes
    const tail = stale ? ', stale=true' : '';
    return algorithms.map((a) => {
      const [head, rest] = this.challengeTemplates[a];
      return head + nonce + rest + tail;
    });
  }

  /**
   * 401 with WWW-Authenticate (RFC 3261 §22.2), or 407 with Proxy-Authenticate when the
   * credentials belong in Proxy-Authorization (§22.3), one challenge per offered algorithm
   * (RFC 8760 §2.4) in order: `opts.algorithms`, else those of the device the request claims
   * to be, else the configured ones.
   */
  challenge(req: SipRequest, opts: ChallengeOptions = {}): SipResponse {
    const proxy = opts.header === 'Proxy-Authorization';
    const algorithms = opts.algorithms ?? this.algorithmsFor(challengedUsername(req));
    const res = createResponse(req, proxy ? 407 : 401, undefined, { toTag: responseToTag(req) });
    for (const v of this.challengeValues(opts.now ?? this.clock.now(), opts.stale, algorithms)) {
      res.headers.append(proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate', v);
    }
    return res;
  }

  /** A list of its own (an empty one would offer nothing: treated as none), else the configured one. */
  private offeredTo(account: CredentialRecord | undefined): readonly OfferedAlgorithm[] {
    const own = account?.authAlgorithms;
    return own != null && own.length > 0 ? own : this.algorithms;
  }

  private challengeOutcome(stale: boolean, algorithms: readonly OfferedAlgorithm[]): DigestOutcome {
    return !stale && algorithms === this.algorithms ? this.challengeDefault : { kind: 'challenge', stale, algorithms };
  }

  private failed(reason: AuthFailureReason, username: string | undefined, status: 400 | 401, algorithms: readonly OfferedAlgorithm[]): DigestOutcome {
    return { kind: 'failed', reason, username, status, algorithms };
  }

  /** `secret` undefined: an unknown user, checked against a dummy H(A1) at the same cost. */
  private responseMatches(c: DigestCredentials, method: string, secret: string | undefined): boolean {
    const info = digestAlgorithm(c.algorithm)!;
    let ha1 = this.hashes.ha1(info.hash, c.username, secret);
    if (info.session) ha1 = sessionHa1(info.hash, ha1, c.nonce, c.cnonce);
    const ha2 = this.hashes.ha2(info.hash, method, c.uri);
    const expected = qopAuthResponse(info.hash, ha1, c.nonce, c.ncText, c.cnonce, ha2);
    // Both are lower-case hex of the algorithm's length (checked when the credentials were picked).
    return sameTextConstantTime(expected, c.response);
  }
}

/**
 * Equality of two strings of the same length that takes the same time wherever they differ
 * (what crypto.timingSafeEqual does for Buffers, without making two Buffers per request).
 */
function sameTextConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * RFC 7616 §3.4.6 / RFC 3261 §22.4: the digest-uri must name the resource of the Request-URI:
 * equal URIs (§19.1.4), or - given our local hosts - the same user at two names of this PBX.
 */
function sameRequestUri(digestUri: string, req: SipRequest, local: LocalHosts | undefined): boolean {
  if (digestUri === req.uri) return true;
  try {
    const a = parseUri(digestUri);
    const b = requestUri(req);
    if (a.scheme === 'tel' || b.scheme === 'tel') return false;
    if (sipUriEquals(a, b)) return true;
    return local !== undefined && a.user === b.user && local.includes(a.host) && local.includes(b.host);
  } catch {
    return false;
  }
}

