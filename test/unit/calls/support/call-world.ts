/**
 * A whole switch for call-control tests, without sockets or real time: CallManager on a
 * TransactionLayer of the in-memory network (as SipStack would drive it), the store in a
 * temporary SQLite file (users, devices, call history), bindings in memory, the shared
 * AuthGuard, the fake media engine, and scripted phones - all on one FakeClock.
 *
 * `run(ms)` moves time like LossyNetwork.runFor, but lets promises (media requests) settle
 * after every step, so the asynchronous parts of a call happen at the instant they would.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../../../src/log/logger.js';
import { CallHistoryRecorder } from '../../../../src/app/calls/call-history-recorder.js';
import { CallManager } from '../../../../src/app/calls/call-manager.js';
import type { CallSettings } from '../../../../src/app/calls/call-settings.js';
import type { TransferHandler } from '../../../../src/app/calls/transfer-hook.js';
import type { NumberHandler } from '../../../../src/app/calls/number-handler.js';
import { AuthGuard } from '../../../../src/sip/auth/auth-guard.js';
import { BruteForceThrottle } from '../../../../src/sip/auth/brute-force-throttle.js';
import { DigestAuthenticator } from '../../../../src/sip/auth/digest-authenticator.js';
import { MemoryBindingStore } from '../../../../src/sip/registrar/memory-binding-store.js';
import type { Flow } from '../../../../src/sip/transport/flow.js';
import { openStore, type Store } from '../../../../src/store/store.js';
import type { UserRecord } from '../../../../src/store/records.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LossyNetwork, seededRandom, type NetworkNode } from '../../../support/lossy-network.js';
import { layer } from '../../../support/sip-builders.js';
import { FakeMedia } from './fake-media.js';
import { Phone } from './phone.js';

export const DOMAIN = 'pbx.test';
export const SWITCH_ADDRESS = '192.0.2.1';

export interface WorldOptions extends Partial<CallSettings> {
  seed?: number;
  /** A transfer handler (test/unit/calls/transfer*.test.ts); none: REFER is 501. */
  transfers?: TransferHandler;
  /** Numbers the switch answers itself (test/unit/conference: the conference service). */
  numberHandlers?: NumberHandler[];
}

export class CallWorld {
  readonly clock = new FakeClock();
  readonly net: LossyNetwork;
  readonly media = new FakeMedia();
  readonly store: Store;
  readonly bindings = new MemoryBindingStore();
  readonly manager: CallManager;
  readonly node: NetworkNode;
  readonly guard: AuthGuard;
  readonly settings: CallSettings;
  /** Lines call control logged at error level: a handler failed. `run()` throws on them. */
  readonly errors: string[] = [];
  /** Set when a test provokes errors on purpose. */
  errorsExpected = false;
  private nextAddress = 10;

  constructor(opts: WorldOptions = {}) {
    this.net = new LossyNetwork(this.clock, { delay: 10, seed: opts.seed ?? 1 });
    this.store = openStore(mkdtempSync(join(tmpdir(), 'softswitch-calls-')));
    this.node = this.net.addNode('switch', SWITCH_ADDRESS, 5060, layer(this.clock, SWITCH_ADDRESS));
    this.guard = new AuthGuard(new DigestAuthenticator({ realm: DOMAIN, lookup: (u) => this.store.devices.findForAuth(u), clock: this.clock }), new BruteForceThrottle());
    this.settings = {
      ringTimeoutMs: opts.ringTimeoutMs ?? 30_000,
      mediaTimeoutMs: opts.mediaTimeoutMs ?? 60_000,
      sessionExpires: opts.sessionExpires ?? 1800,
      musicOnHold: opts.musicOnHold ?? '/moh/default.wav',
      codecs: opts.codecs ?? ['PCMU', 'PCMA', 'G722', 'opus'],
    };
    const store = this.store;
    const l = this.node.layer;
    this.manager = new CallManager({
      sip: { respond: (tx, res) => l.respond(tx, res), sendRequest: (req, flow) => l.sendRequest(req, flow), cancel: (tx, r) => l.cancel(tx, r), sendStateless: (m, f) => l.sendStateless(m, f) },
      media: this.media,
      clock: this.clock,
      logger: createLogger({
        level: 'error',
        destination: new Writable({ write: (chunk: Buffer, _enc, done) => (this.errors.push(chunk.toString()), done()) }),
      }),
      directory: {
        resolveNumber: (n) => store.resolveNumber(n),
        deviceByExt: (ext) => {
          const device = store.devices.findByExt(ext);
          return device && { device, user: store.users.findById(device.userId)! };
        },
        bindings: (ext) => this.bindings.bindings(ext, this.clock.now()),
      },
      guard: this.guard,
      settings: this.settings,
      domain: DOMAIN,
      mediaAddress: SWITCH_ADDRESS,
      contactFor: (flow: Flow) => `<sip:${SWITCH_ADDRESS}:5060${flow.protocol === 'udp' ? '' : `;transport=${flow.protocol}`}>`,
      history: new CallHistoryRecorder(store.calls, silentLogger, (fn) => store.transaction(fn)),
      random: seededRandom(opts.seed ?? 7),
      ...(opts.transfers ? { transfers: opts.transfers } : {}),
      ...(opts.numberHandlers ? { numberHandlers: opts.numberHandlers } : {}),
    });
    this.media.on('event', this.manager.mediaEvent);
    this.net.addTimerSource(this.manager);
    const m = this.manager;
    this.node.tu = (e) => {
      if (e.type === 'request') m.request(e.request, e.tx, e.flow);
      else if (e.type === 'ack') m.ack(e.request);
      else if (e.type === 'response' || e.type === 'timeout' || e.type === 'transport-error') m.clientEvent(e);
      else if (e.type === 'stray-response') m.strayResponse(e.response);
    };
  }

  addUser(ext: string, name: string, callerId: string | null = null): UserRecord {
    return this.store.users.insert({ ext, name, callerId, mobile: null }, this.clock.now());
  }

  /** A device of user `userExt` with a phone on the network, registered once (or `registrations` times) unless 0. */
  addPhone(userExt: string, ext: string, opts: { enabled?: boolean; registrations?: number; password?: string } = {}): Phone {
    const user = this.store.users.findByExt(userExt)!;
    const password = opts.password ?? `pw-${ext}`;
    this.store.devices.insert({ userId: user.id, ext, secret: password, model: null, mac: null, enabled: opts.enabled ?? true }, this.clock.now());
    const address = `192.0.2.${this.nextAddress++}`;
    const node = this.net.addNode(`phone-${ext}`, address, 5060, layer(this.clock, address));
    const phone = new Phone(node, { ext, password, domain: DOMAIN, server: this.node });
    const count = opts.registrations ?? 1;
    if (count > 0) this.bindings.upsert(phone.binding(this.clock.now()));
    for (let i = 1; i < count; i++) {
      // A second contact of the same device (another line, or the same phone on another port).
      this.bindings.upsert(phone.binding(this.clock.now(), { contact: `sip:${ext}-${i}@${address}:5060`, updatedAt: this.clock.now() - i }));
    }
    return phone;
  }

  /**
   * Moves time `ms` ahead, delivering packets and firing timers, promises settled after each
   * step. It is LossyNetwork.runUntil with an await between steps, so it reaches the
   * network's private step/deadline methods by name (TypeScript allows that form).
   */
  async run(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    for (;;) {
      await this.settle();
      const next = this.net['nextDeadline']();
      if (next === undefined || next > end) break;
      if (next > this.clock.now()) this.clock.set(next);
      this.net['step'](this.clock.now());
    }
    if (end > this.clock.now()) this.clock.set(end);
    await this.settle();
    if (this.errors.length > 0 && !this.errorsExpected) throw new Error(`call control logged an error: ${this.errors.join('\n')}`);
  }

  /** History rows (after writing what the recorder holds). */
  history() {
    this.manager.history.flush();
    return this.store.calls.list();
  }

  private async settle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const before = this.net.log.length + this.media.log.length;
      this.net.drain();
      await new Promise((r) => setImmediate(r));
      this.net.drain();
      if (this.net.log.length + this.media.log.length === before) return;
    }
  }
}
