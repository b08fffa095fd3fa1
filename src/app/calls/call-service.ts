/**
 * Calls in the running switch: the I/O shell around CallManager. It builds the manager
 * from the real pieces - the SIP stack, the media engine, the registrar's bindings and
 * AuthGuard, the store - arms one real timer at the manager's next deadline, flushes the
 * call history every 100 ms, and hangs up every call at stop.
 */
import type { Config } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import type { MediaEngine } from '../../mixer/channel/media-engine.js';
import type { SipStack } from '../../sip/stack/sip-stack.js';
import type { Flow } from '../../sip/transport/flow.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../../time/clock.js';
import type { RegistrationService } from '../registration/registration-service.js';
import { CallHistoryRecorder } from './call-history-recorder.js';
import { CallManager } from './call-manager.js';
import { callSettings } from './call-settings.js';
import type { NumberHandler } from './number-handler.js';
import type { TransferHandler } from './transfer-hook.js';

export interface CallServiceOptions {
  config: Config;
  stack: SipStack;
  media: MediaEngine;
  registrations: RegistrationService;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The host we advertise (Via, Contact, SDP). */
  advertisedHost: string;
  transfers?: TransferHandler;
  /** Numbers the switch answers itself (conference rooms): number-handler.ts. */
  numberHandlers?: readonly NumberHandler[];
  historyFlushMs?: number;
}

export class CallService {
  readonly manager: CallManager;
  private timer: NodeJS.Timeout | undefined;
  private armedAt: number | undefined;
  private readonly flusher: NodeJS.Timeout;

  constructor(private readonly opts: CallServiceOptions) {
    const { config, store, clock, logger, advertisedHost } = opts;
    const log = logger.child({ component: 'calls' });
    this.manager = new CallManager({
      sip: opts.stack,
      media: opts.media,
      clock,
      logger,
      directory: {
        resolveNumber: (n) => store.resolveNumber(n),
        deviceByExt: (ext) => {
          const device = store.devices.findByExt(ext);
          const user = device && store.users.findById(device.userId);
          return device && user ? { device, user } : undefined;
        },
        bindings: (ext) => opts.registrations.contactsFor(ext),
      },
      guard: opts.registrations.pipeline.guard,
      settings: callSettings(config.calls),
      domain: config.sip.domain,
      mediaAddress: advertisedHost,
      contactFor: (flow) => this.contactFor(flow),
      history: new CallHistoryRecorder(store.calls, log, (fn) => store.transaction(fn)),
      ...(opts.transfers ? { transfers: opts.transfers } : {}),
      ...(opts.numberHandlers ? { numberHandlers: opts.numberHandlers } : {}),
      agent: config.sip.userAgent.split(/\s/)[0]!,
      onTimersChanged: () => this.arm(),
    });
    opts.media.on('event', this.manager.mediaEvent);
    this.flusher = setInterval(() => this.manager.history.flush(), opts.historyFlushMs ?? 100);
  }

  /** Hangs up every call, writes the history, stops the timers. */
  stop(): void {
    this.manager.stop();
    this.opts.media.off('event', this.manager.mediaEvent);
    clearInterval(this.flusher);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** `<sip:host:port;transport=x>` for the transport of `flow` (RFC 3261 §8.1.1.8). */
  private contactFor(flow: Flow): string {
    const host = this.opts.advertisedHost.includes(':') ? `[${this.opts.advertisedHost}]` : this.opts.advertisedHost;
    const port = this.opts.stack.ports()[flow.protocol] ?? flow.localPort;
    return `<sip:${host}:${port}${flow.protocol === 'udp' ? '' : `;transport=${flow.protocol}`}>`;
  }

  /** One real timer at the manager's earliest deadline (re-armed only when it moved). */
  private arm(): void {
    const due = this.opts.clock.now();
    const next = this.manager.pollTimeout();
    if (next === this.armedAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = next;
    if (next === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedAt = undefined;
      this.manager.handleTimeout(this.opts.clock.now());
    }, Math.max(0, next - due));
  }
}
