/**
 * The REGISTER pipeline: throttle -> Digest -> registrar (RFC 3261 §10.3 with §22), composed
 * from the sans-IO parts. The shell hands each REGISTER that passed the message checks here
 * and sends the response; the events go to its log.
 *
 * The option sections mirror config.yaml (`auth:`, `security:`, `registrar:`, seconds as
 * there), so the switch passes `config.auth`, `config.security` and `config.registrar`
 * straight in. `guard`, `authenticator` and `throttle` are exposed so that INVITE and other
 * requests are authenticated (407) with the very same nonces, counts and blocks.
 */
import type { Clock } from '../../time/clock.js';
import type { SipRequest, SipResponse } from '../message.js';
import { createResponse } from '../response.js';
import { responseToTag } from '../auth/response-tag.js';
import type { Flow } from '../transport/flow.js';
import type { AuthEvent } from '../auth/auth-events.js';
import { AuthGuard } from '../auth/auth-guard.js';
import { BruteForceThrottle, type ThrottleOptions } from '../auth/brute-force-throttle.js';
import { DigestAuthenticator, type CredentialLookup } from '../auth/digest-authenticator.js';
import type { BindingStore } from './binding-store.js';
import { LocalHosts } from '../local-hosts.js';
import { Registrar } from './registrar.js';

export interface RegisterPipelineOptions {
  /** sip.domain: the AOR domain and the default realm. */
  domain: string;
  /** Other hosts that name this PBX in a Request-URI or To (public address, aliases). */
  localAddresses?: readonly string[];
  auth: {
    /** Default: the domain. */
    realm?: string;
    /** Offered in this order; default MD5 first (SIPp 3.6.1 and many phones stop at a first SHA-256). */
    algorithms?: ReadonlyArray<'MD5' | 'SHA-256'>;
    /** Seconds; default 300. */
    nonceLifetime?: number;
  };
  security: ThrottleOptions;
  registrar: { minExpires: number; maxExpires: number; defaultExpires: number; maxContactsPerAor?: number };
  /** Credentials by digest username (the store's devices.findForAuth fits). */
  lookup: CredentialLookup;
  /** Bindings (the store's registrations fits). */
  store: BindingStore;
  clock: Clock;
  /** Fixed nonce key (tests); random per process by default. */
  nonceKey?: Buffer;
  onError?: (err: unknown) => void;
}

export interface RegisterOutcome {
  response: SipResponse;
  events: AuthEvent[];
}

export class RegisterPipeline {
  readonly authenticator: DigestAuthenticator;
  readonly throttle: BruteForceThrottle;
  readonly guard: AuthGuard;
  readonly registrar: Registrar;
  private readonly clock: Clock;

  constructor(opts: RegisterPipelineOptions) {
    this.clock = opts.clock;
    this.authenticator = new DigestAuthenticator({
      realm: opts.auth.realm ?? opts.domain,
      ...(opts.auth.algorithms ? { algorithms: opts.auth.algorithms } : {}),
      ...(opts.auth.nonceLifetime !== undefined ? { nonceLifetime: opts.auth.nonceLifetime } : {}),
      ...(opts.nonceKey ? { nonceKey: opts.nonceKey } : {}),
      lookup: opts.lookup,
      clock: opts.clock,
      localHosts: new LocalHosts(opts.domain, opts.localAddresses),
    });
    this.throttle = new BruteForceThrottle(opts.security);
    this.guard = new AuthGuard(this.authenticator, this.throttle);
    this.registrar = new Registrar({
      domain: opts.domain,
      ...(opts.localAddresses ? { localAddresses: opts.localAddresses } : {}),
      ...opts.registrar,
      store: opts.store,
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
  }

  /** One REGISTER: 403 when the source is blocked, 401 until authenticated, then §10.3. */
  handleRegister(req: SipRequest, flow: Flow, now: number = this.clock.now()): RegisterOutcome {
    if (req.method !== 'REGISTER') {
      const res = createResponse(req, 405, undefined, { toTag: responseToTag(req) });
      res.headers.append('Allow', 'REGISTER');
      return { response: res, events: [] };
    }
    const g = this.guard.check(req, flow.remoteAddress, now, 'Authorization');
    if (!g.ok) return { response: g.response, events: g.events };
    return { response: this.registrar.register(req, { username: g.username, flow, now }), events: g.events };
  }
}

/** Function form of RegisterPipeline#handleRegister. */
export function createRegisterPipeline(opts: RegisterPipelineOptions): RegisterPipeline {
  return new RegisterPipeline(opts);
}
