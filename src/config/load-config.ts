/**
 * `loadConfig(path?)`: reads config.yaml (or nothing: every key has a default), rejects
 * unknown keys and wrong types with one line naming the key, checks the rules that span
 * keys, and resolves relative paths against the file's directory (the cwd with no file).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { CodecName } from '../rtp/codec/codec.js';
import { LANGUAGES } from '../ivr/language.js';
import type { CallsConfig, Config, DigestAlgorithm, IvrConfig, SipConfig } from './config.js';
import { ConfigError, ValueError } from './config-error.js';
import { ConfigReader } from './config-reader.js';
import { packageVersion } from './package-version.js';
import * as v from './value-parsers.js';

export interface LoadConfigOptions {
  /** Where relative paths resolve when there is no file; default process.cwd(). */
  cwd?: string;
  /** For `media.workers: auto`; default os.availableParallelism(). */
  cores?: number;
}

/** Every key, per section: the loader accepts these and nothing else. */
export const CONFIG_SECTIONS = {
  '': ['sip', 'rtp', 'data', 'log', 'registrar', 'auth', 'security', 'media', 'calls', 'ivr'],
  sip: ['listen', 'port', 'tlsPort', 'wsPort', 'wssPort', 'domain', 'externalAddress', 'userAgent', 'tls'],
  'sip.tls': ['cert', 'key'],
  rtp: ['ports'],
  log: ['level', 'pretty'],
  registrar: ['minExpires', 'maxExpires', 'defaultExpires'],
  auth: ['realm', 'algorithms', 'nonceLifetime'],
  security: ['maxAuthFailures', 'failureWindow', 'blockTime', 'trustedNetworks', 'pinMaxFailures', 'pinFailureWindow', 'pinBlockTime'],
  media: ['workers'],
  calls: ['ringTimeout', 'mediaTimeout', 'sessionExpires', 'musicOnHold', 'codecs'],
  ivr: ['language', 'promptsDir'],
} as const;

function section(reader: ConfigReader, name: keyof typeof CONFIG_SECTIONS) {
  return reader.section(name === '' ? [] : name.split('.'), CONFIG_SECTIONS[name]);
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'SHA-256'];
const CODECS: readonly CodecName[] = ['PCMU', 'PCMA', 'G722', 'opus'];
/** The music on hold shipped with the package (compiled to dist/src/config/: the root is three levels up). */
export const DEFAULT_MUSIC_ON_HOLD = fileURLToPath(new URL('../../../media/moh/default.wav', import.meta.url));

export function loadConfig(path?: string, opts: LoadConfigOptions = {}): Config {
  const cwd = opts.cwd ?? process.cwd();
  const file = path === undefined ? undefined : resolve(cwd, path);
  const lines = new LineCounter();
  const doc = file === undefined ? undefined : parseFile(path!, file, lines);
  const reader = new ConfigReader(path ?? 'defaults', doc, lines);
  const baseDir = file === undefined ? cwd : dirname(file);
  const config = readConfig(reader, baseDir, opts.cores ?? availableParallelism());
  if (file !== undefined) config.file = file;
  return config;
}

function parseFile(shownPath: string, file: string, lines: LineCounter): Document {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new ConfigError(`${shownPath}: cannot read configuration: ${why}`);
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    const line = problem.linePos?.[0].line;
    const message = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${shownPath}: invalid YAML: ${message}${line ? ` (line ${line})` : ''}`);
  }
  return doc;
}

function readConfig(reader: ConfigReader, baseDir: string, cores: number): Config {
  const top = section(reader, '');
  const sip = readSip(reader, baseDir);
  const rtp = section(reader, 'rtp');
  const ports = rtp.get('ports', v.portRange, { min: 10000, max: 20000 });
  if (sip.port >= ports.min && sip.port <= ports.max) throw rtp.error('ports', `${ports.min}-${ports.max} include sip.port ${sip.port}`);
  const log = section(reader, 'log');
  const auth = section(reader, 'auth');
  const security = section(reader, 'security');
  const media = section(reader, 'media');
  return {
    sip,
    rtp: { ports },
    data: resolve(baseDir, top.get('data', v.filePath, './data')),
    log: { level: log.get('level', v.oneOf(LOG_LEVELS), 'info'), pretty: log.get('pretty', v.trueFalseOrAuto, 'auto') },
    registrar: readRegistrar(reader),
    auth: {
      // The realm goes inside a quoted-string (RFC 3261 §25.1): no quote or backslash.
      realm: auth.get('realm', v.text(128, { pattern: /["\\]/, what: 'a double quote or a backslash' }), sip.domain),
      algorithms: auth.get('algorithms', v.list(algorithm, { nonEmpty: true, unique: true }), ['MD5', 'SHA-256']),
      nonceLifetime: auth.get('nonceLifetime', v.integer(1, 86400), 300),
    },
    security: {
      maxAuthFailures: security.get('maxAuthFailures', v.integer(1, 1000), 5),
      failureWindow: security.get('failureWindow', v.integer(1, 86400), 60),
      blockTime: security.get('blockTime', v.integer(1, 30 * 86400), 300),
      trustedNetworks: security.get('trustedNetworks', v.list(v.cidr, { unique: true }), []),
      pinMaxFailures: security.get('pinMaxFailures', v.integer(1, 1000), 10),
      pinFailureWindow: security.get('pinFailureWindow', v.integer(1, 86400), 900),
      pinBlockTime: security.get('pinBlockTime', v.integer(1, 30 * 86400), 900),
    },
    media: { workers: media.get('workers', v.workerCount(cores), cores) },
    calls: readCalls(reader, baseDir),
    ivr: readIvr(reader, baseDir),
  };
}

function readIvr(reader: ConfigReader, baseDir: string): IvrConfig {
  const i = section(reader, 'ivr');
  const ivr: IvrConfig = { language: i.get('language', v.oneOf(LANGUAGES), 'en') };
  const promptsDir = i.optional('promptsDir', v.filePath);
  if (promptsDir !== undefined) ivr.promptsDir = resolve(baseDir, promptsDir);
  return ivr;
}

function readCalls(reader: ConfigReader, baseDir: string): CallsConfig {
  const c = section(reader, 'calls');
  const music = c.optional('musicOnHold', v.filePath);
  return {
    ringTimeout: c.get('ringTimeout', v.integer(1, 3600), 30),
    mediaTimeout: c.get('mediaTimeout', v.integer(0, 86400), 60),
    // RFC 4028 §4: Min-SE is at least 90 seconds.
    sessionExpires: c.get('sessionExpires', v.integer(90, 86400), 1800),
    musicOnHold: music === undefined ? DEFAULT_MUSIC_ON_HOLD : resolve(baseDir, music),
    codecs: c.get('codecs', v.list(codec, { nonEmpty: true, unique: true }), [...CODECS]),
  };
}

function codec(value: unknown): CodecName {
  const found = typeof value === 'string' ? CODECS.find((x) => x.toLowerCase() === value.toLowerCase()) : undefined;
  if (!found) throw new ValueError(`must be one of ${CODECS.join(', ')}, got ${v.shown(value)}`);
  return found;
}

function readSip(reader: ConfigReader, baseDir: string): SipConfig {
  const s = section(reader, 'sip');
  const domain = s.get('domain', v.host, 'pbx.local');
  const sip: SipConfig = {
    listen: s.get('listen', v.ipAddress, '0.0.0.0'),
    port: s.get('port', v.port, 5060),
    tlsPort: s.get('tlsPort', v.port, 5061),
    wsPort: s.get('wsPort', v.port, 8088),
    wssPort: s.get('wssPort', v.port, 8089),
    domain,
    userAgent: s.get('userAgent', v.text(128), `softswitch/${packageVersion()}`),
  };
  const externalAddress = s.optional('externalAddress', v.host);
  if (externalAddress !== undefined) sip.externalAddress = externalAddress;
  const tls = section(reader, 'sip.tls');
  const cert = tls.optional('cert', v.filePath);
  const key = tls.optional('key', v.filePath);
  if (cert !== undefined && key === undefined) throw tls.error('cert', 'is set but sip.tls.key is not; TLS and WSS need both');
  if (key !== undefined && cert === undefined) throw tls.error('key', 'is set but sip.tls.cert is not; TLS and WSS need both');
  if (cert !== undefined && key !== undefined) sip.tls = { cert: resolve(baseDir, cert), key: resolve(baseDir, key) };
  checkDistinctTcpPorts(sip, (key, problem) => s.error(key, problem));
  return sip;
}

/** UDP and TCP share sip.port; the TCP listeners (TCP, TLS, WS, WSS) need distinct ports. */
function checkDistinctTcpPorts(sip: SipConfig, error: (key: string, problem: string) => ConfigError): void {
  const used = new Map<number, string>([[sip.port, 'sip.port']]);
  const keys: Array<'wsPort' | 'tlsPort' | 'wssPort'> = sip.tls ? ['tlsPort', 'wsPort', 'wssPort'] : ['wsPort'];
  for (const key of keys) {
    const other = used.get(sip[key]);
    if (other) throw error(key, `${sip[key]} is already used by ${other}`);
    used.set(sip[key], `sip.${key}`);
  }
}

function readRegistrar(reader: ConfigReader): Config['registrar'] {
  const r = section(reader, 'registrar');
  // RFC 3261 §10.2.1.1 / §20.19: Expires is a count of seconds up to 2^32-1.
  const seconds = v.integer(1, 4294967295);
  const minExpires = r.get('minExpires', seconds, 60);
  const maxExpires = r.get('maxExpires', seconds, 3600);
  const defaultExpires = r.get('defaultExpires', seconds, 3600);
  if (minExpires > maxExpires) throw r.error('minExpires', `(${minExpires}) must not exceed registrar.maxExpires (${maxExpires})`);
  if (defaultExpires < minExpires || defaultExpires > maxExpires) {
    throw r.error('defaultExpires', `(${defaultExpires}) must be between registrar.minExpires (${minExpires}) and registrar.maxExpires (${maxExpires})`);
  }
  return { minExpires, maxExpires, defaultExpires };
}

function algorithm(value: unknown): DigestAlgorithm {
  const found = typeof value === 'string' ? ALGORITHMS.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
  if (!found) throw new ValueError(`must be one of ${ALGORITHMS.join(', ')}, got ${v.shown(value)}`);
  return found;
}
