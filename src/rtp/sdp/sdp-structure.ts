/**
 * RFC 4566 §5 structure checks on the raw lines of a body, before sdp-transform (which skips
 * whatever it does not understand) reads the attributes. Fields that must be exact are read
 * here: the origin (sess-id and sess-version may exceed 2^53, so they stay strings), c=,
 * t= and every m= line. Anything malformed throws SdpError(400).
 */
import { SdpError } from './sdp-error.js';
import type { MediaLine } from './types.js';

export interface Connection {
  family: 'IP4' | 'IP6';
  /** Unicast address, or a multicast one without its /ttl/count suffix. */
  address: string;
}

export interface MediaBlock extends MediaLine {
  connection?: Connection;
}

export interface SdpStructure {
  origin: { username: string; sessionId: string; sessionVersion: string; family: 'IP4' | 'IP6'; address: string };
  connection?: Connection;
  media: MediaBlock[];
}

/** RFC 4566 §5: `<type>=<value>`, a single lower-case letter and no space around '='. */
const LINE = /^([a-z])=(.*)$/;
/** RFC 4566 §5.2: o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address> */
const ORIGIN = /^(\S+) (\d+) (\d+) IN (IP4|IP6) (\S+)$/;
/** RFC 4566 §5.7: c=<nettype> <addrtype> <connection-address> */
const CONNECTION = /^IN (IP4|IP6) (\S+)$/;
/** RFC 4566 §5.9: t=<start-time> <stop-time> */
const TIMING = /^\d+ \d+$/;
/** RFC 4566 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
const MEDIA = /^([A-Za-z0-9_.-]+) (\d+)(?:\/\d+)? ([A-Za-z0-9_./-]+)((?: +\S+)+) *$/;

function malformed(message: string): SdpError {
  return new SdpError(`malformed SDP: ${message}`, 400);
}

/** Split a body into its lines (CRLF, or bare LF as RFC 4566 §5 tolerates); blank lines dropped. */
export function sdpLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
}

function parseConnection(value: string): Connection {
  const m = CONNECTION.exec(value);
  if (!m) throw malformed(`bad c= line "c=${value}" (RFC 4566 §5.7)`);
  // Multicast addresses carry /ttl[/count] (IP4) or /count (IP6); the base address is what we keep.
  return { family: m[1] as 'IP4' | 'IP6', address: m[2]!.split('/')[0]! };
}

function parseMedia(value: string): MediaBlock {
  const m = MEDIA.exec(value);
  if (!m) throw malformed(`bad m= line "m=${value}" (RFC 4566 §5.14)`);
  const port = Number(m[2]);
  if (port > 65535) throw malformed(`m= port ${port} out of range (RFC 4566 §5.14)`);
  const protocol = m[3]!;
  const formats = m[4]!.trim().split(/ +/);
  if (protocol.toUpperCase().includes('RTP/')) {
    // RFC 4566 §5.14: for RTP profiles the formats are RTP payload types (RFC 3551 §3: 0-127).
    for (const f of formats) {
      if (!/^\d{1,3}$/.test(f) || Number(f) > 127) throw malformed(`payload type "${f}" in "m=${value}" (RFC 3551 §3)`);
    }
  }
  return { type: m[1]!, port, protocol, formats };
}

interface Cursor {
  structure: Partial<SdpStructure> & { media: MediaBlock[] };
  seen: Set<string>;
}

function sessionLine(type: string, value: string, at: Cursor): void {
  const s = at.structure;
  if (type === 'o') {
    const m = ORIGIN.exec(value);
    if (!m) throw malformed(`bad o= line "o=${value}" (RFC 4566 §5.2)`);
    s.origin = { username: m[1]!, sessionId: m[2]!, sessionVersion: m[3]!, family: m[4] as 'IP4' | 'IP6', address: m[5]! };
  } else if (type === 'c') {
    if (s.connection) throw malformed('more than one session-level c= line (RFC 4566 §5.7)');
    s.connection = parseConnection(value);
  } else if (type === 't') {
    if (!TIMING.test(value)) throw malformed(`bad t= line "t=${value}" (RFC 4566 §5.9)`);
  }
}

function mediaLine(type: string, value: string, block: MediaBlock): void {
  if (type === 'c' && !block.connection) block.connection = parseConnection(value);
  else if (type === 'c') {
    // RFC 4566 §5.7 allows several c= per media only for layered multicast; keep the first.
    parseConnection(value);
  }
}

/** Check the RFC 4566 §5 structure of `text` and read its v/o/s/c/t/m lines. */
export function readSdpStructure(text: string): SdpStructure {
  const lines = sdpLines(text);
  if (lines.length === 0) throw malformed('empty body');
  if (lines[0] !== 'v=0') throw malformed('the first line must be "v=0" (RFC 4566 §5.1)');
  const at: Cursor = { structure: { media: [] }, seen: new Set() };
  let block: MediaBlock | undefined;
  for (const line of lines.slice(1)) {
    const m = LINE.exec(line);
    if (!m) throw malformed(`line "${line.slice(0, 60)}" is not <type>=<value> (RFC 4566 §5)`);
    const type = m[1]!;
    const value = m[2]!;
    if (type === 'v') throw malformed('a second v= line (RFC 4566 §5.1)');
    if (type === 'm') {
      block = parseMedia(value);
      at.structure.media.push(block);
      continue;
    }
    if (block) mediaLine(type, value, block);
    else {
      if ((type === 'o' || type === 's') && at.seen.has(type)) throw malformed(`a second ${type}= line (RFC 4566 §5)`);
      at.seen.add(type);
      sessionLine(type, value, at);
    }
  }
  return finish(at);
}

function finish(at: Cursor): SdpStructure {
  const s = at.structure;
  if (!s.origin) throw malformed('no o= line (RFC 4566 §5.2)');
  if (!at.seen.has('s')) throw malformed('no s= line (RFC 4566 §5.3)');
  if (!at.seen.has('t')) throw malformed('no t= line (RFC 4566 §5.9)');
  // Zero m-lines is valid SDP (RFC 4566 §5 "zero or more media descriptions", RFC 3264 §5);
  // that it carries no audio is a 488 for negotiateAnswer, not a 400.
  s.media.forEach((block, i) => {
    // RFC 4566 §5.7: a c= at session level or in every media description. A disabled stream
    // (port 0) is not held to it: several UAs drop c= from the m-lines they reject.
    if (!s.connection && !block.connection && block.port !== 0) throw malformed(`m-line ${i} (${block.type}) has no c= and there is no session-level c= (RFC 4566 §5.7)`);
  });
  return s as SdpStructure;
}
