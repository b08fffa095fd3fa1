/**
 * The running switch: opens the store, claims the data directory with the control socket
 * (one switch per directory), starts the media workers and the SIP stack on every
 * configured transport, and routes requests to the services. `softswitch start` calls
 * `startSwitch` and `stop()` on SIGINT/SIGTERM; nothing is lost on stop (calls are hung up
 * and recorded, bindings flushed, the store closed).
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { Config } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { MediaEngine } from '../mixer/channel/media-engine.js';
import { SipStack } from '../sip/stack/sip-stack.js';
import { openStore } from '../store/store.js';
import { systemClock, type Clock } from '../time/clock.js';
import { CallService } from './calls/call-service.js';
import { CallTransfers } from './calls/transfer/call-transfers.js';
import { ConferenceService } from './conference/conference-service.js';
import { PromptCatalog } from '../ivr/prompt-catalog.js';
import { logRoomsWithoutPin } from './rooms/room-warnings.js';
import { hostEphemeralRange, overlap, type PortRange } from '../rtp/ephemeral-ports.js';
import { ControlServer } from './control/control-server.js';
import { controlSocketPath } from './control/control-protocol.js';
import { RegistrationService } from './registration/registration-service.js';
import { RequestRouter } from './request-router.js';

export interface RunningSwitch {
  /** Ports actually listened on, per transport. */
  readonly ports: Partial<Record<'udp' | 'tcp' | 'tls' | 'ws' | 'wss', number>>;
  stop(): Promise<void>;
}

export interface StartSwitchOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

export async function startSwitch(opts: StartSwitchOptions): Promise<RunningSwitch> {
  const { config, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const sip = config.sip;
  const store = openStore(config.data);
  let liveCalls = (): number => 0;
  const control = new ControlServer(controlSocketPath(config.data), logger.child({ component: 'control' }), { status: () => ({ calls: liveCalls() }) });
  let media: MediaEngine;
  try {
    await control.start();
    // This process owns the data directory now: rows a crashed run left live are closed.
    store.calls.closeDangling(clock.now());
    media = await MediaEngine.start({ workers: config.media.workers, rtpPorts: config.rtp.ports });
  } catch (err) {
    await control.stop();
    store.close();
    throw err;
  }
  const advertisedHost = sip.externalAddress ?? (WILDCARD.has(sip.listen) ? primaryAddress() : sip.listen);

  const stack = new SipStack({
    transports: {
      address: sip.listen,
      port: sip.port,
      wsPort: sip.wsPort,
      ...(sip.tls
        ? { tls: { port: sip.tlsPort, cert: readFileSync(sip.tls.cert), key: readFileSync(sip.tls.key) }, wssPort: sip.wssPort }
        : {}),
    },
    clock,
    logger: logger.child({ component: 'sip' }),
    advertisedHost,
    server: sip.userAgent,
  });
  const registrations = new RegistrationService({
    config,
    store,
    clock,
    logger,
    localAddresses: localAddresses(sip.listen, advertisedHost, sip.externalAddress),
  });
  // Conference rooms (issue 5): dialling a room number reaches the conference service.
  const conference = new ConferenceService({
    media,
    catalog: new PromptCatalog({ ...(config.ivr.promptsDir ? { overrideDir: config.ivr.promptsDir } : {}), log: logger.child({ component: 'ivr' }) }),
    language: config.ivr.language,
    findRoom: (n) => store.rooms.findByNumber(n),
    userIdByExt: (ext) => store.users.findByExt(ext)?.id,
    logger,
    pinThrottle: config.security,
  });
  logRoomsWithoutPin(store.rooms.list(), logger.child({ component: 'conference' }));
  warnEphemeralRtpPorts(config.rtp.ports, logger);
  // Transfers (REFER blind and attended, INVITE with Replaces): src/app/calls/transfer.
  const calls = new CallService({ config, stack, media, registrations, store, clock, logger, advertisedHost, transfers: new CallTransfers(), numberHandlers: [conference] });
  control.register(calls.manager.live.controlMethods());
  control.register(conference.controlMethods());
  liveCalls = () => calls.manager.calls.size;
  const router = new RequestRouter(stack, registrations, logger.child({ component: 'router' }), calls.manager);

  registrations.start();
  try {
    await stack.start(router);
  } catch (err) {
    calls.stop();
    registrations.stop();
    await media.close();
    await control.stop();
    store.close();
    throw err;
  }
  const ports = stack.ports();
  logger.info(
    { event: 'switch.started', ports, domain: sip.domain, advertised: advertisedHost, data: config.data },
    `softswitch ready: SIP ${Object.entries(ports).map(([p, n]) => `${p.toUpperCase()} ${n}`).join(', ')} for ${sip.domain}`,
  );

  let stopped = false;
  return {
    ports,
    async stop() {
      if (stopped) return;
      stopped = true;
      calls.stop();
      await stack.stop();
      await media.close();
      await control.stop();
      registrations.stop();
      store.close();
    },
  };
}

/** The first non-internal IPv4 address: what a phone on the LAN can reach us at. */
function primaryAddress(): string {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

/** Every host that names this PBX in a Request-URI or To besides sip.domain. */
function localAddresses(listen: string, advertised: string, external?: string): string[] {
  const out = new Set<string>([advertised]);
  if (external) out.add(external);
  if (WILDCARD.has(listen)) {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.add(a.address);
  } else out.add(listen);
  return [...out];
}

/** One warning line when rtp.ports reaches into the kernel's ephemeral ports (src/rtp/ephemeral-ports.ts). */
function warnEphemeralRtpPorts(ports: PortRange, logger: Logger): void {
  const ephemeral = hostEphemeralRange();
  const shared = ephemeral && overlap(ports, ephemeral);
  if (!shared) return;
  logger.warn(
    { event: 'rtp.ports_ephemeral', rtpPorts: `${ports.min}-${ports.max}`, ephemeral: `${ephemeral.min}-${ephemeral.max}` },
    `rtp.ports ${ports.min}-${ports.max} overlaps the kernel's ephemeral ports ${ephemeral.min}-${ephemeral.max}: another socket may take a media port there`,
  );
}
