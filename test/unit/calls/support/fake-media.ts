/**
 * A media engine stand-in for call-control tests: records every request, keeps endpoints,
 * relays and music on hold in plain maps, and lets the test raise engine events (RFC 4733
 * digits, media timeouts). Requests resolve when the test world settles (microtasks), like
 * the real engine's worker round trip, only without real time.
 */
import { EventEmitter } from 'node:events';
import type { CreateEndpointOptions } from '../../../../src/mixer/channel/media-engine.js';
import type { EndpointChange, EngineEvent, EndpointStats, MediaPort, PayloadMapping, RemoteAddress } from '../../../../src/app/calls/media-port.js';

export interface FakeEndpoint {
  id: string;
  port: number;
  worker: number;
  remote: RemoteAddress | undefined;
  payloads: PayloadMapping[];
  telephoneEventPt: number | undefined;
  mediaTimeoutMs: number | undefined;
  latching: boolean | undefined;
  music: string | undefined;
  relayedWith: string | undefined;
  digitsSent: string[];
}

export class FakeMedia extends EventEmitter implements MediaPort {
  readonly endpoints = new Map<string, FakeEndpoint>();
  /** Every request in order: `op endpoint`. */
  readonly log: string[] = [];
  failCreate = false;
  private nextPort = 30000;

  createEndpoint(o: CreateEndpointOptions): Promise<{ localPort: number; worker: number }> {
    this.log.push(`create ${o.endpointId}`);
    if (this.failCreate) return Promise.reject(new Error('no free RTP port'));
    const worker = o.colocateWith !== undefined ? this.endpoints.get(o.colocateWith)?.worker ?? 0 : 0;
    const ep: FakeEndpoint = {
      id: o.endpointId, port: this.nextPort, worker, remote: o.remote, payloads: o.payloads, telephoneEventPt: o.telephoneEventPt,
      mediaTimeoutMs: o.mediaTimeoutMs, latching: o.symmetricLatching, music: undefined, relayedWith: undefined, digitsSent: [],
    };
    this.nextPort += 2;
    this.endpoints.set(ep.id, ep);
    return Promise.resolve({ localPort: ep.port, worker });
  }

  updateEndpoint(id: string, change: EndpointChange): Promise<null> {
    this.log.push(`update ${id}`);
    const ep = this.get(id);
    if (change.remote) ep.remote = change.remote;
    if (change.payloads) ep.payloads = change.payloads;
    if (change.telephoneEventPt !== undefined) ep.telephoneEventPt = change.telephoneEventPt;
    return Promise.resolve(null);
  }

  destroyEndpoint(id: string): Promise<EndpointStats | null> {
    this.log.push(`destroy ${id}`);
    const ep = this.endpoints.get(id);
    if (!ep) return Promise.resolve(null);
    if (ep.relayedWith) this.get(ep.relayedWith).relayedWith = undefined;
    this.endpoints.delete(id);
    return Promise.resolve(stats(id));
  }

  endpointStats(id: string): Promise<EndpointStats> {
    this.get(id);
    return Promise.resolve({ ...stats(id), packetsReceived: 500, packetsSent: 498, packetsLost: 2, jitterMs: 1.25 });
  }

  relay(a: string, b: string): Promise<{ mode: 'passthrough' | 'transcode' }> {
    this.log.push(`relay ${a} ${b}`);
    const ea = this.get(a);
    const eb = this.get(b);
    if (ea.worker !== eb.worker) return Promise.reject(new Error('relay legs on different workers'));
    if (ea.relayedWith || eb.relayedWith) return Promise.reject(new Error('already relayed'));
    ea.relayedWith = b;
    eb.relayedWith = a;
    return Promise.resolve({ mode: ea.payloads[0]?.codec === eb.payloads[0]?.codec ? 'passthrough' : 'transcode' });
  }

  unrelay(id: string): Promise<null> {
    this.log.push(`unrelay ${id}`);
    const ep = this.get(id);
    if (ep.relayedWith) this.get(ep.relayedWith).relayedWith = undefined;
    ep.relayedWith = undefined;
    return Promise.resolve(null);
  }

  startMusicOnHold(id: string, file: string): Promise<null> {
    this.log.push(`moh.start ${id}`);
    this.get(id).music = file;
    return Promise.resolve(null);
  }

  stopMusicOnHold(id: string): Promise<null> {
    this.log.push(`moh.stop ${id}`);
    this.get(id).music = undefined;
    return Promise.resolve(null);
  }

  sendDtmf(id: string, digits: string): Promise<null> {
    this.log.push(`dtmf ${id} ${digits}`);
    const ep = this.get(id);
    if (ep.telephoneEventPt === undefined) return Promise.reject(new Error('no telephone-event'));
    ep.digitsSent.push(digits);
    return Promise.resolve(null);
  }

  /** Raise an engine event as a worker would. */
  raise(e: EngineEvent): void {
    this.emit('event', e);
  }

  /** Requests whose text starts with `prefix`. */
  ops(prefix: string): string[] {
    return this.log.filter((l) => l.startsWith(prefix));
  }

  get(id: string): FakeEndpoint {
    const ep = this.endpoints.get(id);
    if (!ep) throw new Error(`no endpoint ${id}`);
    return ep;
  }
}

function stats(id: string): EndpointStats {
  return {
    endpointId: id, packetsReceived: 0, packetsSent: 0, bytesReceived: 0, bytesSent: 0, packetsLost: 0, concealed: 0, dropped: 0, rtcpReceived: 0,
    jitterMs: 0, silentSkipped: 0, jitterTargetMs: 0, jitterBufferedMs: 0, jitterDropped: 0, jitterLate: 0,
  };
}
