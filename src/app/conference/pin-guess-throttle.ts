/**
 * Conference PIN guessing is throttled across calls (issue 5: "a wrong PIN gets a retry,
 * then a hang-up"; standard: "brute force is throttled"). Each wrong PIN entry counts
 * against the caller, across all rooms (guessing is per caller, not per room):
 * `pinMaxFailures` inside a sliding `pinFailureWindow` block the caller from PIN entry for
 * `pinBlockTime` (config.yaml `security:`, seconds). A blocked caller dialling a room that
 * asks for a PIN is not asked: it hears the goodbye and gets BYE (room-call.ts). Rooms
 * without PIN and owners entering their own private room never reach the PIN step, so a
 * block does not touch them.
 *
 * The caller is its device extension for our own authenticated devices, otherwise its
 * source address (IPv4, or the IPv6 /64, as the digest throttle counts: source-address.ts).
 * A correct PIN does not clear the count (as the digest throttle): the window decays it.
 * Counting is the shared FailureWindow (../../security/failure-window.ts); memory is bounded
 * by its caps, and blocks end lazily when the caller is next looked at.
 */
import type { Logger } from '../../log/logger.js';
import { FailureWindow } from '../../security/failure-window.js';
import { sourceAddress } from '../../sip/auth/source-address.js';
import type { CallerIdentity } from '../calls/caller-id.js';

/** Names and units (seconds) as in config.yaml `security:`, so that section passes straight in. */
export interface PinThrottleSettings {
  pinMaxFailures: number;
  pinFailureWindow: number;
  pinBlockTime: number;
}

export const DEFAULT_PIN_THROTTLE: PinThrottleSettings = { pinMaxFailures: 10, pinFailureWindow: 900, pinBlockTime: 900 };

/** Whom wrong PINs count against: `device 1001`, or `address 198.51.100.7` for a caller that is no device of ours. */
export function pinCallerKey(identity: CallerIdentity, remoteAddress: string | undefined): string {
  if (identity.device !== null) return `device ${identity.device}`;
  return remoteAddress === undefined ? `number ${identity.number}` : `address ${sourceAddress(remoteAddress).key}`;
}

export class PinGuessThrottle {
  private readonly window: FailureWindow;

  constructor(settings: PinThrottleSettings, private readonly log: Logger) {
    this.window = new FailureWindow({
      maxFailures: settings.pinMaxFailures,
      windowMs: settings.pinFailureWindow * 1000,
      blockMs: settings.pinBlockTime * 1000,
    });
  }

  /** Epoch ms when the caller's block ends; undefined when it may enter a PIN. */
  blockedUntil(caller: string, now: number): number | undefined {
    return this.window.blockedUntil(caller, now);
  }

  /** One wrong PIN entry by `caller` at room `room`; returns true when it started a block (logged as conference.pin_blocked). */
  wrongPin(caller: string, room: string, now: number): boolean {
    const { count, blockedUntil: until } = this.window.recordFailure(caller, now);
    if (until === undefined) return false;
    this.log.warn({ event: 'conference.pin_blocked', caller, room, count, until }, `${caller}: ${count} wrong conference PINs, PIN entry blocked until ${new Date(until).toISOString()}`);
    return true;
  }

  /** A blocked caller is turned away from `room` without a PIN prompt (conference.pin_refused). */
  refused(caller: string, room: string, until: number): void {
    this.log.info({ event: 'conference.pin_refused', caller, room, until }, `${caller} is blocked from PIN entry until ${new Date(until).toISOString()}: room ${room} refused`);
  }
}
