/**
 * The part of the media engine (src/mixer/channel/media-engine.ts) call control uses. The
 * real MediaEngine satisfies it structurally; unit tests pass a fake that records calls.
 *
 * Every method is a request to a media worker: requests to one endpoint are carried in the
 * order they are made (one MessagePort per worker), so call control may issue an update and
 * a relay without awaiting the first.
 */
import type { CreateEndpointOptions, EngineEvent } from '../../mixer/channel/media-engine.js';
import type { EndpointId, EndpointStats, EndpointUpdate } from '../../mixer/channel/protocol.js';

export type { EngineEvent } from '../../mixer/channel/media-engine.js';
export type { EndpointId, EndpointStats, PayloadMapping, RemoteAddress } from '../../mixer/channel/protocol.js';

/** remote, payloads, telephone-event (PT and clock rate), RTCP mux, hold (src/mixer/channel/protocol.ts). */
export type EndpointChange = EndpointUpdate;

export interface MediaPort {
  createEndpoint(o: CreateEndpointOptions): Promise<{ localPort: number; worker: number }>;
  updateEndpoint(endpointId: EndpointId, change: EndpointChange): Promise<null>;
  destroyEndpoint(endpointId: EndpointId): Promise<EndpointStats | null>;
  endpointStats(endpointId: EndpointId): Promise<EndpointStats>;
  /** Both endpoints must be on one worker (create the second with `colocateWith`). */
  relay(a: EndpointId, b: EndpointId): Promise<{ mode: 'passthrough' | 'transcode' }>;
  unrelay(endpointId: EndpointId): Promise<null>;
  startMusicOnHold(endpointId: EndpointId, file: string): Promise<null>;
  stopMusicOnHold(endpointId: EndpointId): Promise<null>;
  /** RFC 4733 events on an endpoint that negotiated telephone-event. */
  sendDtmf(endpointId: EndpointId, digits: string, durationMs?: number): Promise<null>;
  on(name: 'event', listener: (e: EngineEvent) => void): unknown;
  off(name: 'event', listener: (e: EngineEvent) => void): unknown;
}
