/**
 * The operator's view of the calls in progress (`softswitch calls`, `softswitch hangup`):
 * LiveCallView per call (src/app/control/live-call-view.ts), with each leg's codec and the
 * media worker's packet counters, and hang-up by full call id. The control server exposes
 * them as `calls.list` and `calls.hangup` (`controlMethods`).
 */
import { CALLS_HANGUP, CALLS_LIST, type HangupResult, type LiveCallView, type LiveLegView } from '../control/live-call-view.js';
import type { ControlMethods } from '../control/control-protocol.js';
import type { Call } from './call.js';
import type { Side } from './call-media.js';

async function legView(call: Call, side: Side, device: string | null): Promise<LiveLegView> {
  const stats = await call.media.stats(side);
  const codec = call.media.sides[side].codec;
  return {
    role: side,
    device,
    remote: call.media.remoteOf(side),
    codec: codec?.name ?? null,
    packetsIn: stats?.packetsReceived ?? 0,
    packetsOut: stats?.packetsSent ?? 0,
    lost: stats?.packetsLost ?? 0,
    jitterMs: Math.round((stats?.jitterMs ?? 0) * 10) / 10,
    reported: stats?.peer ? { lossPercent: Math.round(stats.peer.fractionLost * 1000) / 10, lost: stats.peer.cumulativeLost, jitterMs: Math.round(stats.peer.jitterMs * 10) / 10, rttMs: stats.peer.rttMs } : null,
  };
}

function stateOf(call: Call): LiveCallView['state'] {
  if (call.state === 'ended') return 'ending';
  if (call.transferring) return 'transferring';
  if (call.state === 'answered') return call.media.onHold ? 'held' : 'answered';
  return call.state;
}

export async function liveCallView(call: Call): Promise<LiveCallView> {
  const ringing = call.ringing();
  const bDevice = call.answeredBy ?? ringing[0] ?? null;
  // A transfer may have put another device on either side: the legs' own devices first.
  const legs = await Promise.all([legView(call, 'a', call.legs.a?.device ?? call.caller.device), legView(call, 'b', call.legs.b?.device ?? bDevice)]);
  return {
    id: call.id,
    state: stateOf(call),
    caller: { number: call.caller.number, name: call.caller.name, device: call.caller.device },
    dialled: call.dialled,
    callee: { user: call.callee.ext, ringing, answeredBy: call.answeredBy },
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    legs,
    relay: call.media.relayMode,
  };
}

/** Calls kept outside the call core (conference rooms, number-handler.ts) that `softswitch calls` shows too. */
export interface LiveCallSource {
  liveCalls(): Promise<LiveCallView[]>;
  /** Hangs up the call with this id (operator); false when it has none. */
  hangupCall(id: string): boolean;
}

export class LiveCalls {
  constructor(
    private readonly calls: ReadonlyMap<string, Call>,
    private readonly sources: readonly LiveCallSource[] = [],
  ) {}

  /** Oldest call first. */
  async list(): Promise<LiveCallView[]> {
    const calls = [...this.calls.values()].sort((x, y) => x.startedAt - y.startedAt);
    const views = await Promise.all(calls.map(liveCallView));
    if (this.sources.length === 0) return views;
    const more = (await Promise.all(this.sources.map((s) => s.liveCalls()))).flat();
    return [...views, ...more].sort((x, y) => x.startedAt - y.startedAt);
  }

  /** Ends the call with this full id (BYE both legs, or CANCEL the forks); throws when there is none. */
  hangup(id: string): HangupResult {
    const call = this.calls.get(id);
    if (call) call.hangup('operator');
    else if (!this.sources.some((s) => s.hangupCall(id))) throw new Error(`no live call ${id}`);
    return { id };
  }

  /** `calls.list` and `calls.hangup` for the control server. */
  controlMethods(): ControlMethods {
    return {
      [CALLS_LIST]: () => this.list(),
      [CALLS_HANGUP]: (params) => {
        const id = params['call'];
        if (typeof id !== 'string' || id === '') throw new Error('calls.hangup needs { call: <id> }');
        return this.hangup(id);
      },
    };
  }
}
