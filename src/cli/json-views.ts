/**
 * The `--json` output: stable field names (documented in docs/cli.md), every field present
 * (absent values are `null`), times as ISO 8601 strings. Secrets only on request.
 */
import type { DeviceRecord, LiveBinding, UserRecord } from '../store/store.js';
import { hostPort } from './table.js';

export interface DeviceJson {
  ext: string;
  user: string;
  userName: string;
  model: string | null;
  mac: string | null;
  enabled: boolean;
  primary: boolean;
  /** Digest algorithms offered to the device, in challenge order; `null` = the configured `auth.algorithms`. */
  authAlgorithms: string[] | null;
  /** Live registrations (contacts) of the device now. */
  contacts: number;
  createdAt: string;
  updatedAt: string;
  /** Only with `device show --show-secret`. */
  secret?: string;
}

export interface UserJson {
  ext: string;
  name: string;
  callerId: string | null;
  mobile: string | null;
  primaryDevice: string | null;
  devices: DeviceJson[];
  createdAt: string;
  updatedAt: string;
}

export interface RegistrationJson {
  device: string;
  user: string;
  userName: string;
  contact: string;
  protocol: string;
  /** Where the REGISTER came from: `address:port` (`[v6]:port`). */
  source: string;
  sourceAddress: string;
  sourcePort: number;
  localAddress: string;
  localPort: number;
  userAgent: string | null;
  expiresAt: string;
  /** Whole seconds left. */
  expiresIn: number;
  instanceId: string | null;
  regId: number | null;
  q: number | null;
  path: string[];
  callId: string;
  cseq: number;
  updatedAt: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function deviceJson(device: DeviceRecord, user: UserRecord, contacts: number, opts: { secret?: boolean } = {}): DeviceJson {
  const json: DeviceJson = {
    ext: device.ext,
    user: user.ext,
    userName: user.name,
    model: device.model,
    mac: device.mac,
    enabled: device.enabled,
    primary: device.primary,
    authAlgorithms: device.authAlgorithms,
    contacts,
    createdAt: iso(device.createdAt),
    updatedAt: iso(device.updatedAt),
  };
  if (opts.secret) json.secret = device.secret;
  return json;
}

export function userJson(user: UserRecord, devices: DeviceRecord[], contactsOf: (ext: string) => number): UserJson {
  return {
    ext: user.ext,
    name: user.name,
    callerId: user.callerId,
    mobile: user.mobile,
    primaryDevice: devices.find((d) => d.primary)?.ext ?? null,
    devices: devices.map((d) => deviceJson(d, user, contactsOf(d.ext))),
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
  };
}

export function registrationJson(b: LiveBinding, now: number): RegistrationJson {
  return {
    device: b.aor,
    user: b.userExt,
    userName: b.userName,
    contact: b.contact,
    protocol: b.flow.protocol,
    source: hostPort(b.flow.remoteAddress, b.flow.remotePort),
    sourceAddress: b.flow.remoteAddress,
    sourcePort: b.flow.remotePort,
    localAddress: b.flow.localAddress,
    localPort: b.flow.localPort,
    userAgent: b.userAgent ?? null,
    expiresAt: iso(b.expiresAt),
    expiresIn: Math.max(0, Math.floor((b.expiresAt - now) / 1000)),
    instanceId: b.instanceId ?? null,
    regId: b.regId ?? null,
    q: b.q ?? null,
    path: b.path,
    callId: b.callId,
    cseq: b.cseq,
    updatedAt: iso(b.updatedAt),
  };
}

export function printJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
