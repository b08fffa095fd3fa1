/**
 * Who the called phones see as calling (issue 3, "Caller ID"): the user's custom caller ID
 * (`cli`, UserRecord.callerId) when one is set, otherwise the user's main extension, with
 * the user's name as display name. It goes into the From of every B-leg INVITE and into
 * P-Asserted-Identity (RFC 3325 §9.1), which phones inside the trust domain display in
 * preference to From.
 */
import { formatNameAddr } from '../../sip/headers/name-addr.js';
import type { DeviceRecord, UserRecord } from '../../store/records.js';

export interface CallerIdentity {
  /** The number presented. */
  number: string;
  /** Display name; null when the user has none. */
  name: string | null;
  /** Main extension of the calling user (history), null for a caller that is no user of ours. */
  userExt: string | null;
  /** Device extension that placed the call. */
  device: string | null;
}

export function presentedIdentity(user: UserRecord, device: DeviceRecord | null): CallerIdentity {
  return {
    number: user.callerId ?? user.ext,
    name: user.name === '' ? null : user.name,
    userExt: user.ext,
    device: device?.ext ?? null,
  };
}

/** `sip:<number>@<domain>`; a telephone-subscriber `+` is allowed in the user part (RFC 3261 §25.1). */
export function identityUri(number: string, domain: string): string {
  return `sip:${encodeURIComponent(number).replace(/%2B/gi, '+')}@${domain}`;
}

/** From of a B-leg INVITE (RFC 3261 §8.1.1.3): `"Name" <sip:number@domain>;tag=...`. */
export function fromValue(id: CallerIdentity, domain: string, tag: string): string {
  return formatNameAddr({ ...(id.name !== null ? { displayName: id.name } : {}), uri: identityUri(id.number, domain), params: new Map(), tag });
}

/** P-Asserted-Identity (RFC 3325 §9.1): the same name-addr, no tag. */
export function assertedIdentityValue(id: CallerIdentity, domain: string): string {
  return formatNameAddr({ ...(id.name !== null ? { displayName: id.name } : {}), uri: identityUri(id.number, domain), params: new Map() });
}
