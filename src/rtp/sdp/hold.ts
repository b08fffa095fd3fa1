/**
 * Hold as an offer expresses it (RFC 3264 §8.4): a=sendonly or a=inactive, or the older
 * RFC 2543 form of a connection address 0.0.0.0 (which RFC 3264 §8.4 still requires us
 * to understand: nothing is to be sent to that peer).
 */
import type { AudioDescription } from './types.js';

/**
 * True for the "unspecified" connection address 0.0.0.0 (RFC 2543 hold, RFC 3264 §8.4).
 * `::` is the IPv6 form a few UAs use the same way; it is treated alike.
 */
export function isUnspecifiedAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** True when this (remote) description puts the other party on hold: it does not want to receive. */
export function isHold(desc: Pick<AudioDescription, 'direction' | 'address'>): boolean {
  return desc.direction === 'sendonly' || desc.direction === 'inactive' || isUnspecifiedAddress(desc.address);
}
