/**
 * The typed configuration the switch runs with. Every key has a default (see
 * config.example.yaml, which documents each one), so `softswitch start` runs with no file.
 * Durations are in seconds, as written in the file; paths are absolute.
 */
import type { LogLevel } from '../log/logger.js';
import type { CodecName } from '../rtp/codec/codec.js';
import type { Language } from '../ivr/language.js';

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface Config {
  /** Absolute path of the file the values came from; undefined when only defaults apply. */
  file?: string;
  sip: SipConfig;
  rtp: { ports: { min: number; max: number } };
  /** Absolute path of the data directory (SQLite database and runtime files). */
  data: string;
  log: { level: LogLevel; pretty: boolean | 'auto' };
  registrar: { minExpires: number; maxExpires: number; defaultExpires: number };
  auth: { realm: string; algorithms: DigestAlgorithm[]; nonceLifetime: number };
  security: SecurityConfig;
  /** `workers` is resolved: `auto` in the file becomes the number of cores. */
  media: { workers: number };
  calls: CallsConfig;
  ivr: IvrConfig;
}

/** Brute-force throttling; durations in seconds as in the file. */
export interface SecurityConfig {
  /** SIP digest: failed authentications from one source address within failureWindow that block it for blockTime. */
  maxAuthFailures: number;
  failureWindow: number;
  blockTime: number;
  trustedNetworks: string[];
  /** Conference rooms: wrong PINs from one caller within pinFailureWindow that block its PIN entry for pinBlockTime. */
  pinMaxFailures: number;
  pinFailureWindow: number;
  pinBlockTime: number;
}

/** Call control (src/app/calls); durations in seconds as in the file. */
export interface CallsConfig {
  /** Forks still ringing after this long are cancelled and the caller gets 480. */
  ringTimeout: number;
  /** An answered call whose media stops this long is torn down; 0 = never. */
  mediaTimeout: number;
  /** RFC 4028 session interval granted when a phone asks for session timers (>= 90, RFC 4028 §4). */
  sessionExpires: number;
  /** Absolute path of the music on hold (WAV 8/16 kHz 16-bit mono). */
  musicOnHold: string;
  /** Audio codecs offered and accepted, in preference order. */
  codecs: CodecName[];
}

/** Voice prompts (src/ivr). */
export interface IvrConfig {
  /** Language of the prompts when a room sets none. */
  language: Language;
  /** Absolute path of the operator's recordings (<dir>/<language>/<prompt id>.wav), tried before the shipped ones. */
  promptsDir?: string;
}

export interface SipConfig {
  /** Bind address for every SIP transport. */
  listen: string;
  /** UDP and TCP. */
  port: number;
  /** TLS; listened on only when `tls` is set. */
  tlsPort: number;
  /** SIP over WebSocket (RFC 7118). */
  wsPort: number;
  /** SIP over secure WebSocket; listened on only when `tls` is set. */
  wssPort: number;
  domain: string;
  /** Address advertised in Via/Contact/SDP instead of the local one (NAT). */
  externalAddress?: string;
  userAgent: string;
  /** Absolute paths; present only when both cert and key are configured (TLS and WSS on). */
  tls?: { cert: string; key: string };
}

/** `log.pretty: auto` means pretty when stdout is a terminal. */
export function wantsPrettyLog(config: Config, stdoutIsTTY: boolean): boolean {
  return config.log.pretty === 'auto' ? stdoutIsTTY : config.log.pretty;
}
