/**
 * Registrations for the running switch: the REGISTER pipeline (throttle -> digest ->
 * RFC 3261 §10.3 registrar) over the shared SQLite file, with the write-behind binding store
 * (like Kamailio's usrloc in write-back mode): bindings change in memory at once and reach
 * SQLite every `flushIntervalMs`, so a REGISTER does not pay a commit. What that trades:
 * a crash loses at most one interval of changes (phones re-register), the CLI sees a change
 * one interval late, and a clean stop flushes everything.
 *
 * The CLI writes to the same file from another process (a device removed or disabled drops
 * its bindings there). SQLite's `data_version` tells when another connection committed; the
 * cached credentials and bindings are then dropped and re-read (within one tick, 100 ms), so
 * those changes apply without a restart.
 */
import type { Config } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import type { AuthEvent } from '../../sip/auth/auth-events.js';
import { to } from '../../sip/headers/name-addr.js';
import type { SipRequest, SipResponse } from '../../sip/message.js';
import { BufferedBindingStore } from '../../sip/registrar/buffered-binding-store.js';
import { createRegisterPipeline, type RegisterPipeline } from '../../sip/registrar/register-pipeline.js';
import type { Flow } from '../../sip/transport/flow.js';
import { parseUri } from '../../sip/uri.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../../time/clock.js';
import { CredentialCache } from './credential-cache.js';

export interface RegistrationServiceOptions {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Hosts besides sip.domain that name this PBX (listen and advertised addresses). */
  localAddresses: string[];
  flushIntervalMs?: number;
  purgeIntervalMs?: number;
}

export class RegistrationService {
  readonly pipeline: RegisterPipeline;
  private readonly bindings: BufferedBindingStore;
  private readonly credentials: CredentialCache;
  private readonly log: Logger;
  private readonly timers: NodeJS.Timeout[] = [];
  private dataVersion: number;

  constructor(private readonly opts: RegistrationServiceOptions) {
    const { config, store, clock } = opts;
    this.log = opts.logger.child({ component: 'registrar' });
    this.bindings = new BufferedBindingStore(store.registrations, (err, change) =>
      this.log.warn({ event: 'registration.write_failed', op: change.op, err: (err as Error).message }, 'binding not saved'),
    );
    this.credentials = new CredentialCache((ext) => store.devices.findForAuth(ext));
    this.pipeline = createRegisterPipeline({
      domain: config.sip.domain,
      localAddresses: opts.localAddresses,
      auth: config.auth,
      security: config.security,
      registrar: config.registrar,
      lookup: (username) => this.credentials.get(username),
      store: this.bindings,
      clock,
      onError: (err) => this.log.error({ event: 'registrar.error', err: (err as Error).stack }, 'registrar failure'),
    });
    this.dataVersion = this.readDataVersion();
  }

  /** Restores what the last run left: expired bindings go, the rest stay reachable. */
  start(): void {
    const now = this.opts.clock.now();
    const purged = this.opts.store.registrations.purgeExpired(now);
    const restored = this.opts.store.registrations.live(now).length;
    this.log.info({ event: 'registrations.restored', restored, purged }, `${restored} registrations restored, ${purged} expired`);
    const flushEvery = this.opts.flushIntervalMs ?? 100;
    this.timers.push(setInterval(() => this.tick(), flushEvery));
    this.timers.push(setInterval(() => this.purge(), this.opts.purgeIntervalMs ?? 10_000));
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    this.bindings.flush();
  }

  /** One REGISTER (already through the RFC 3261 §8.2 checks): the final response to send. */
  handle(req: SipRequest, flow: Flow): SipResponse {
    const now = this.opts.clock.now();
    // The AOR is only needed for info-level logs: not read (a URI parse) when they are off.
    const logging = this.log.isLevelEnabled('info');
    const aor = logging ? this.aorOf(req) : undefined;
    const before = aor ? this.contactsOf(aor, now) : undefined;
    const { response, events } = this.pipeline.handleRegister(req, flow, now);
    for (const e of events) this.logAuthEvent(e);
    if (response.status === 200 && aor && before) this.logChanges(aor, before, this.contactsOf(aor, now), req, flow);
    else if (logging && response.status >= 300 && response.status !== 401)
      this.log.info({ event: 'registration.refused', aor, status: response.status, reason: response.reason, source: `${flow.remoteAddress}:${flow.remotePort}` }, `REGISTER ${aor ?? '?'} refused: ${response.status} ${response.reason}`);
    return response;
  }

  /** Bindings of a device extension, for routing calls. */
  contactsFor(aor: string): ReturnType<BufferedBindingStore['bindings']> {
    return this.bindings.bindings(aor, this.opts.clock.now());
  }

  private tick(): void {
    const v = this.readDataVersion();
    if (v !== this.dataVersion) {
      this.dataVersion = v;
      // Another process (the CLI) changed the file: re-read credentials and bindings.
      this.credentials.clear();
      this.bindings.invalidate();
    } else {
      this.bindings.flush();
    }
  }

  private purge(): void {
    const events: AuthEvent[] = [];
    this.pipeline.throttle.sweep(this.opts.clock.now(), events);
    for (const e of events) this.logAuthEvent(e);
    this.bindings.flush();
    const n = this.bindings.purgeExpired(this.opts.clock.now());
    if (n) this.log.info({ event: 'registrations.expired', count: n }, `${n} registrations expired`);
  }

  private readDataVersion(): number {
    return this.opts.store.db.pragma('data_version', { simple: true }) as number;
  }

  private aorOf(req: SipRequest): string | undefined {
    try {
      const u = parseUri(to(req).uri);
      return u.scheme === 'tel' ? u.number : u.user;
    } catch {
      return undefined;
    }
  }

  private contactsOf(aor: string, now: number): Set<string> {
    return new Set(this.bindings.bindings(aor, now).map((b) => b.contact));
  }

  private logChanges(aor: string, before: Set<string>, after: Set<string>, req: SipRequest, flow: Flow): void {
    const source = `${flow.protocol}:${flow.remoteAddress}:${flow.remotePort}`;
    const ua = req.headers.get('User-Agent');
    for (const c of after)
      if (!before.has(c)) this.log.info({ event: 'registration.added', aor, contact: c, source, userAgent: ua }, `${aor} registered ${c} from ${source}`);
    for (const c of before)
      if (!after.has(c)) this.log.info({ event: 'registration.removed', aor, contact: c, source }, `${aor} unregistered ${c}`);
    if (after.size === before.size && [...after].every((c) => before.has(c)))
      this.log.debug({ event: 'registration.refreshed', aor, source }, `${aor} refreshed`);
  }

  private logAuthEvent(e: AuthEvent): void {
    if (e.event === 'auth.failure') this.log.warn(e, `authentication failed for ${e.username ?? '?'} from ${e.address} (${e.reason}, ${e.count} in window)`);
    else if (e.event === 'auth.blocked') this.log.warn(e, `blocked ${e.address} until ${new Date(e.until).toISOString()} after ${e.count} failures`);
    else this.log.info(e, `unblocked ${e.address} (${e.why})`);
  }
}
