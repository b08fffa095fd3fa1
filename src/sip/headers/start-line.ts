/**
 * Start lines (RFC 3261 §7.1, §7.2): the first line of the header section.
 *
 *   Request-Line = Method SP Request-URI SP SIP-Version CRLF
 *   Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF
 */
import { SipSyntaxError } from '../errors.js';
import { SIP_VERSION } from '../message.js';
import { charClass, inClass, isTokenString } from './grammar.js';

export interface RequestLine {
  method: string;
  uri: string;
  version: string;
  error?: SipSyntaxError;
}

/** Characters a Request-URI may contain (absoluteURI / SIP-URI, RFC 3261 §25.1). */
const URIC = charClass("-_.!~*'();/?:@&=+$,%[]");
const SCHEME = charClass('+-.');

/**
 * Request-Line = Method SP Request-URI SP SIP-Version CRLF, exactly one SP between the
 * elements (RFC 4475 §3.1.2.9 lwsstart, §3.1.2.10 trws), no LWS or <> in the URI
 * (§3.1.2.7 ltgtruri, §3.1.2.8 lwsruri). On error the fields are a best guess, so that a
 * 400 can still be sent when the headers allow it.
 */
export function checkRequestLine(line: string): RequestLine {
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  if (sp1 > 0 && sp2 > sp1 + 1 && sp2 < line.length - 1 && line.indexOf(' ', sp2 + 1) < 0) {
    const method = line.slice(0, sp1);
    const uri = line.slice(sp1 + 1, sp2);
    if (!isTokenString(method)) return guessRequestLine(line, 'method is not a token');
    if (!isRequestUriText(uri)) return guessRequestLine(line, 'malformed Request-URI');
    try {
      return { method, uri, version: parseVersion(line.slice(sp2 + 1)) };
    } catch (e) {
      return { method, uri, version: SIP_VERSION, error: e instanceof SipSyntaxError ? e : new SipSyntaxError(String(e)) };
    }
  }
  return guessRequestLine(line, 'malformed Request-Line');
}

/** The fields of a broken Request-Line as well as they can be told apart, with the error. */
function guessRequestLine(line: string, why: string): RequestLine {
  const words = line.split(/[ \t]+/).filter((p) => p !== '');
  return { method: words[0] ?? '', uri: words[1] ?? '', version: SIP_VERSION, error: new SipSyntaxError(why) };
}

function isRequestUriText(uri: string): boolean {
  const first = uri.charCodeAt(0);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return false;
  let i = 1;
  while (i < uri.length && inClass(SCHEME, uri.charCodeAt(i))) i++;
  if (uri.charCodeAt(i) !== 58 || i + 1 === uri.length) return false;
  for (i++; i < uri.length; i++) if (!inClass(URIC, uri.charCodeAt(i))) return false;
  return true;
}

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; anything but 2.0 is answered 505 (RFC 3261 §21.5.6). */
export function parseVersion(v: string): string {
  const upper = v.toUpperCase();
  const dot = upper.indexOf('.');
  const major = upper.slice(4, dot);
  const minor = upper.slice(dot + 1);
  if (!upper.startsWith('SIP/') || dot < 0 || !isDigitString(major) || !isDigitString(minor)) {
    throw new SipSyntaxError(`malformed SIP-Version ${JSON.stringify(v.slice(0, 20))}`);
  }
  if (upper !== SIP_VERSION) throw new SipSyntaxError(`SIP version ${v.slice(0, 20)} not supported`, 505);
  return SIP_VERSION;
}

function isDigitString(s: string): boolean {
  if (s.length === 0 || s.length > 3) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 48 || s.charCodeAt(i) > 57) return false;
  return true;
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; Status-Code is 3DIGIT, 100-699. */
export function parseStatusLine(line: string): { version: string; status: number; reason: string } {
  const sp1 = line.indexOf(' ');
  if (sp1 < 0) throw new SipSyntaxError('malformed Status-Line');
  const version = parseVersion(line.slice(0, sp1));
  let sp2 = line.indexOf(' ', sp1 + 1);
  if (sp2 < 0) sp2 = line.length; // tolerate a missing SP before an empty Reason-Phrase
  const code = line.slice(sp1 + 1, sp2);
  // RFC 4475 §3.1.2.19 bigcode: 4294967301 is not a status code.
  if (code.length !== 3 || !isDigitString(code) || code < '100' || code > '699') {
    throw new SipSyntaxError(`bad status code ${JSON.stringify(code.slice(0, 12))}`);
  }
  return { version, status: Number(code), reason: line.slice(sp2 + 1) };
}
