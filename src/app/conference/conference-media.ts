/**
 * The part of the media engine (src/mixer/channel/media-engine.ts) the conference service
 * uses: an endpoint per caller, prompts to it, and the engine's rooms (mixing, join/leave
 * tones, mute, deafen). The real MediaEngine satisfies it structurally; unit tests pass a
 * fake (test/unit/conference/support/fake-room-media.ts).
 */
import type { MediaPort } from '../calls/media-port.js';
import type { EndpointId, JoinOptions, PlaybackId, PlaybackTarget, RoomConfig, RoomId } from '../../mixer/channel/protocol.js';

export interface ConferenceMediaPort extends MediaPort {
  createRoom(config: RoomConfig): void;
  destroyRoom(roomId: RoomId): Promise<void>;
  addToRoom(roomId: RoomId, endpointId: EndpointId, options?: JoinOptions): Promise<void>;
  removeFromRoom(roomId: RoomId, endpointId: EndpointId): Promise<void>;
  mute(endpointId: EndpointId, muted: boolean): Promise<null>;
  deafen(endpointId: EndpointId, deafened: boolean): Promise<null>;
  /**
   * A file to an endpoint: alone, it ends with a `playback.finished` event; inside a room it
   * is played over the mix to that participant only, with no event (`durationMs` says how long).
   */
  play(target: PlaybackTarget, file: string, opts?: { loop?: boolean }): Promise<{ playbackId: PlaybackId; durationMs: number }>;
  stopPlayback(playbackId: PlaybackId): Promise<void>;
}
