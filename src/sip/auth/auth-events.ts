/**
 * What the authentication layer reports for the shell to log (`log.warn({ ...event }, ...)`)
 * or feed to an operator's fail2ban-style tooling. Plain data, no behaviour.
 */
import type { AuthFailureReason } from './digest-authenticator.js';

export interface AuthFailureEvent {
  event: 'auth.failure';
  /** The throttle key: the IPv4 address, or the IPv6 /64 (see source-address.ts). */
  address: string;
  /** The username tried, as sent; undefined when the credentials were unreadable. */
  username: string | undefined;
  reason: AuthFailureReason;
  /** Failures from this address inside the window, this one included (0 when trusted). */
  count: number;
  /** A trusted network: reported, never counted or blocked. */
  trusted: boolean;
}

export interface AuthBlockedEvent {
  event: 'auth.blocked';
  address: string;
  /** The username of the failure that tipped the count over. */
  username: string | undefined;
  count: number;
  /** Epoch ms when the block ends. */
  until: number;
}

export interface AuthUnblockedEvent {
  event: 'auth.unblocked';
  address: string;
  /** `expired`: the block time passed; `evicted`: pushed out by the cap under a flood. */
  why: 'expired' | 'evicted';
}

export type AuthEvent = AuthFailureEvent | AuthBlockedEvent | AuthUnblockedEvent;
