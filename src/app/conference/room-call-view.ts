/**
 * A room call as `softswitch calls` shows it (LiveCallView, ../control/live-call-view.ts):
 * the caller's leg only, the callee being the room (`answeredBy: room <number>`), with the
 * endpoint's packet counters and what the phone reports by RTCP.
 */
import type { LiveCallView } from '../control/live-call-view.js';
import type { ConferenceMediaPort } from './conference-media.js';
import type { RoomCall } from './room-call.js';

export async function roomCallView(call: RoomCall, media: ConferenceMediaPort): Promise<LiveCallView> {
  const stats = call.state === 'ended' ? undefined : await media.endpointStats(call.endpointId).catch(() => undefined);
  const round = (x: number) => Math.round(x * 10) / 10;
  const i = call.identity;
  return {
    id: call.id,
    state: call.state === 'answering' ? 'routing' : call.state === 'ended' ? 'ending' : call.media.holding ? 'held' : 'answered',
    caller: { number: i.number, name: i.name, device: i.device },
    dialled: call.dialled,
    callee: { user: null, ringing: [], answeredBy: `room ${call.dialled}` },
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    legs: [
      {
        role: 'a',
        device: i.device,
        remote: call.media.remoteAddress,
        codec: call.media.codecName,
        packetsIn: stats?.packetsReceived ?? 0,
        packetsOut: stats?.packetsSent ?? 0,
        lost: stats?.packetsLost ?? 0,
        jitterMs: round(stats?.jitterMs ?? 0),
        reported: stats?.peer ? { lossPercent: round(stats.peer.fractionLost * 100), lost: stats.peer.cumulativeLost, jitterMs: round(stats.peer.jitterMs), rttMs: stats.peer.rttMs } : null,
      },
    ],
    relay: null,
  };
}
