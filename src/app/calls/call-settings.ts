/**
 * What call control is configured with, in the units it works in (ms), taken from the
 * `calls:` section of config.yaml (src/config) plus the addresses the switch advertises.
 */
import type { CallsConfig } from '../../config/config.js';
import type { CodecName } from '../../rtp/codec/codec.js';

export interface CallSettings {
  ringTimeoutMs: number;
  /** 0: media timeouts off. */
  mediaTimeoutMs: number;
  /** Session interval granted (RFC 4028), seconds. */
  sessionExpires: number;
  musicOnHold: string;
  codecs: readonly CodecName[];
}

export function callSettings(c: CallsConfig): CallSettings {
  return {
    ringTimeoutMs: c.ringTimeout * 1000,
    mediaTimeoutMs: c.mediaTimeout * 1000,
    sessionExpires: c.sessionExpires,
    musicOnHold: c.musicOnHold,
    codecs: c.codecs,
  };
}
