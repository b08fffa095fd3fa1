/**
 * The parallel fork of one call (issue 3, "Routing"): an OutboundLeg per target, all
 * started at once. The first 2xx wins; every other fork still ringing is CANCELled with
 * `Reason: SIP;cause=200;text="Call completed elsewhere"` (RFC 3326) when its policy says so,
 * so those phones do not list a missed call. A caller's CANCEL or the ring timeout cancels
 * every fork without Reason. When all forks fail, the caller gets one answer (bestFailure).
 */
import type { SipResponse } from '../../sip/message.js';
import type { SessionDescription } from '../../rtp/sdp/index.js';
import type { OutboundLeg, OutboundListener } from './outbound-leg.js';

export const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

export interface ForkFailure {
  status: number;
  reason: string;
  /** 'busy': a device was busy or declined; 'failed': unreachable or refused otherwise. */
  disposition: 'busy' | 'failed';
}

export interface ForkListener {
  forkProgress(leg: OutboundLeg, res: SipResponse, sdp: SessionDescription | undefined): void;
  forkAnswered(leg: OutboundLeg, res: SipResponse, sdp: SessionDescription | undefined): void;
  forkFailed(failure: ForkFailure): void;
}

/**
 * The answer for the caller when no fork answered (in the spirit of RFC 3261 §16.7 step 6):
 * a 6xx wins (600/603 count as busy); else 486 when any device was busy; else 488 when
 * every device refused the media; else 480 (nobody reachable).
 */
export function bestFailure(failures: ReadonlyArray<{ status: number; reason: string }>): ForkFailure {
  const global = failures.find((f) => f.status >= 600);
  if (global) return { status: global.status, reason: global.reason, disposition: global.status === 600 || global.status === 603 ? 'busy' : 'failed' };
  if (failures.some((f) => f.status === 486)) return { status: 486, reason: 'Busy Here', disposition: 'busy' };
  if (failures.length > 0 && failures.every((f) => f.status === 488 || f.status === 606)) return { status: 488, reason: 'Not Acceptable Here', disposition: 'failed' };
  return { status: 480, reason: 'Temporarily Unavailable', disposition: 'failed' };
}

export class Fork implements OutboundListener {
  readonly legs: OutboundLeg[] = [];
  winner: OutboundLeg | undefined;
  private finished = false;

  constructor(private readonly listener: ForkListener) {}

  add(leg: OutboundLeg): void {
    this.legs.push(leg);
  }

  start(): void {
    for (const leg of this.legs) leg.start();
  }

  /** Devices still ringing. */
  ringing(): string[] {
    return this.legs.filter((l) => l.pending).map((l) => l.device);
  }

  /** The caller cancelled, the ring timeout passed, or the call was hung up: CANCEL every fork, no Reason. */
  cancelAll(): void {
    this.finished = true;
    for (const leg of this.legs) leg.abandon();
  }

  outboundProgress(leg: OutboundLeg, res: SipResponse, sdp: SessionDescription | undefined): void {
    if (!this.finished) this.listener.forkProgress(leg, res, sdp);
  }

  outboundAnswered(leg: OutboundLeg, res: SipResponse, sdp: SessionDescription | undefined): void {
    if (this.finished || this.winner !== undefined) {
      leg.dialogLeg?.bye();
      return;
    }
    this.winner = leg;
    this.finished = true;
    for (const other of this.legs) if (other !== leg) other.abandon(other.policy.completedElsewhereReason ? COMPLETED_ELSEWHERE : undefined);
    this.listener.forkAnswered(leg, res, sdp);
  }

  outboundFailed(): void {
    if (this.finished || this.legs.some((l) => l.pending || l.state === 'answered')) return;
    this.finished = true;
    this.listener.forkFailed(bestFailure(this.legs.map((l) => l.failure ?? { status: 480, reason: 'Temporarily Unavailable' })));
  }
}
