/**
 * The formats of the values an operator types, checked and normalised before anything is
 * stored. Each function returns the stored form or throws a DirectoryError('invalid') whose
 * message says what is wrong with the value.
 */
import type { AuthAlgorithm } from '../../store/store.js';
import { invalid } from './directory-error.js';

const EXTENSION = /^[0-9]{2,10}$/;
const PHONE_NUMBER = /^\+?[0-9]{2,20}$/;
const SECRET_CHARS = /^[\x21-\x7e]*$/; // printable ASCII, space excluded
const MAC_FORMS = [/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, /^[0-9a-f]{2}(-[0-9a-f]{2}){5}$/i, /^[0-9a-f]{12}$/i];
// Control characters and line/paragraph separators: they break tables, logs and SIP headers.
const FORBIDDEN_IN_TEXT = /[\p{Cc}\u2028\u2029]/u;
/** The passwords SIP scanners (sipvicious and friends) try first, besides the extension itself. */
const COMMON_SECRETS = new Set(['password', 'password1', '12345678', '123456789', '1234567890', '87654321', 'qwertyui', 'qwerty123', 'abcdefgh', 'abcd1234', 'letmein1', 'changeme', 'iloveyou']);

export const SECRET_MIN = 8;
export const SECRET_MAX = 64;
export const TEXT_MAX = 64;

/** 2 to 10 digits. `what` names the value in the message ("extension", "user extension"). */
export function parseExtension(value: string, what = 'extension'): string {
  if (!EXTENSION.test(value)) throw invalid(`${what} must be 2 to 10 digits, got ${quote(value)}`);
  return value;
}

/** Caller ID or mobile: `+` optional, then 2 to 20 digits. */
export function parsePhoneNumber(value: string, what: string): string {
  if (!PHONE_NUMBER.test(value)) throw invalid(`${what} must be an optional + then 2 to 20 digits, got ${quote(value)}`);
  return value;
}

/**
 * 8 to 64 printable ASCII characters, no spaces; not one character repeated, not a
 * well-known password, and not containing the device's own extension (scanners try it first).
 */
export function parseSecret(value: string, deviceExt: string): string {
  if (!SECRET_CHARS.test(value)) throw invalid('secret may contain printable ASCII characters only, no spaces');
  if (value.length < SECRET_MIN) throw invalid(`secret is too short: ${value.length} characters, at least ${SECRET_MIN} required`);
  if (value.length > SECRET_MAX) throw invalid(`secret is too long: ${value.length} characters, at most ${SECRET_MAX} allowed`);
  if (/^(.)\1*$/.test(value)) throw invalid('secret is too weak: one character repeated');
  if (COMMON_SECRETS.has(value.toLowerCase())) throw invalid('secret is too weak: a well-known password');
  if (value.includes(deviceExt)) throw invalid(`secret is too weak: it contains the extension ${deviceExt}`);
  return value;
}

/** `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF` or `aabbccddeeff`; stored lower-case with colons. */
export function parseMac(value: string): string {
  if (!MAC_FORMS.some((form) => form.test(value))) {
    throw invalid(`malformed MAC address ${quote(value)}: expected aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabbccddeeff`);
  }
  const hex = value.replace(/[:-]/g, '').toLowerCase();
  if (hex === '000000000000' || hex === 'ffffffffffff') throw invalid(`MAC address ${quote(value)} is not a device address`);
  return hex.match(/../g)!.join(':');
}

const AUTH_ALGORITHMS: readonly AuthAlgorithm[] = ['MD5', 'SHA-256'];

/**
 * The Digest algorithms offered to one device, in challenge order (RFC 8760 §2.4; a client
 * takes the first it supports, RFC 7616 §3.7): at least one, each of MD5 and SHA-256 at most
 * once, names compared case-insensitively (`md5`, `sha-256`), surrounding blanks dropped.
 */
export function parseAuthAlgorithms(values: readonly string[]): AuthAlgorithm[] {
  if (values.length === 0) throw invalid('auth algorithms must name at least one of MD5, SHA-256');
  const out: AuthAlgorithm[] = [];
  for (const value of values) {
    const name = AUTH_ALGORITHMS.find((a) => a.toLowerCase() === value.trim().toLowerCase());
    if (name === undefined) throw invalid(`unknown digest algorithm ${quote(value)}: expected MD5 or SHA-256`);
    if (out.includes(name)) throw invalid(`digest algorithm ${name} is listed twice`);
    out.push(name);
  }
  return out;
}

/** A user's name: surrounding blanks dropped, then 1 to 64 characters, no control characters. */
export function parseName(value: string): string {
  return parseText(value, 'name');
}

/** A device model ("Yealink T54W"): same rules as a name. */
export function parseModel(value: string): string {
  return parseText(value, 'model');
}

function parseText(value: string, what: string): string {
  const text = value.trim();
  if (FORBIDDEN_IN_TEXT.test(text)) throw invalid(`${what} must not contain control characters`);
  const length = [...text].length;
  if (length === 0) throw invalid(`${what} must not be empty`);
  if (length > TEXT_MAX) throw invalid(`${what} is too long: ${length} characters, at most ${TEXT_MAX} allowed`);
  return text;
}

/** For messages: the value as typed, quoted, with control characters made visible. */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}
