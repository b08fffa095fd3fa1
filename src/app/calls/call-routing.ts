/**
 * Where a call goes (issue 3, "Routing"), decided from the dialled number:
 *
 *   user's main extension ....... every binding of every enabled device of the user, in
 *                                 parallel (the calling device itself excepted)
 *   device extension ............ every binding of that device only
 *   unknown number .............. 404 Not Found
 *   nobody registered ........... 480 Temporarily Unavailable (RFC 3261 §21.4.18)
 *
 * A binding is reached at its Contact, over the flow its REGISTER came on (NAT: RFC 5626
 * §5.3 / RFC 3261 §18.2.2 symmetric signalling), with its Path as preloaded Route set
 * (RFC 3327 §5.3). Pure: the directory is read through `CallDirectory`.
 */
import type { BindingRecord } from '../../sip/registrar/binding-store.js';
import { parseUri } from '../../sip/uri.js';
import type { ResolvedNumber } from '../../store/number-resolver.js';
import type { DeviceRecord, UserRecord } from '../../store/records.js';

export interface CallDirectory {
  resolveNumber(number: string): ResolvedNumber | undefined;
  /** The device a caller authenticated as, with its user. */
  deviceByExt(ext: string): { device: DeviceRecord; user: UserRecord } | undefined;
  /** Unexpired bindings of a device extension. */
  bindings(deviceExt: string): BindingRecord[];
}

export interface ForkTarget {
  device: DeviceRecord;
  binding: BindingRecord;
}

export type RouteDecision =
  | { kind: 'fork'; callee: UserRecord; targets: ForkTarget[] }
  | { kind: 'reject'; status: 404 | 480; reason: string; callee: UserRecord | null };

/** The number in a Request-URI: the user part of a SIP URI, the number of a tel URI. */
export function dialledNumber(requestUri: string): string | undefined {
  try {
    const u = parseUri(requestUri);
    return u.scheme === 'tel' ? u.number : u.user;
  } catch {
    return undefined;
  }
}

export function routeCall(dialled: string, callerDevice: string | null, dir: CallDirectory): RouteDecision {
  const resolved = dir.resolveNumber(dialled);
  if (resolved === undefined) return { kind: 'reject', status: 404, reason: 'unknown number', callee: null };
  const devices = resolved.kind === 'user' ? resolved.devices : [resolved.device];
  const targets: ForkTarget[] = [];
  for (const device of devices) {
    if (!device.enabled || device.ext === callerDevice) continue;
    for (const binding of dir.bindings(device.ext)) targets.push({ device, binding });
  }
  if (targets.length === 0) return { kind: 'reject', status: 480, reason: 'no registered device', callee: resolved.user };
  return { kind: 'fork', callee: resolved.user, targets };
}
