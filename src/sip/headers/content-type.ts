/**
 * Content-Type (RFC 3261 §20.15) and Accept (§20.1).
 *
 *   media-type  = m-type SLASH m-subtype *(SEMI m-parameter)
 *   Accept      = "Accept" HCOLON [ accept-range *(COMMA accept-range) ]
 *   accept-range = media-range *(SEMI accept-param)
 *
 * Type and subtype are case-insensitive and returned lower-case; parameter names lower-case,
 * values as written (quotes kept, e.g. a multipart boundary).
 */
import type { SipMessage } from '../message.js';
import { expectEnd, parseParams, Scanner } from './grammar.js';

export interface MediaType {
  type: string;
  subtype: string;
  params: Map<string, string | null>;
}

function scanMediaType(sc: Scanner): MediaType {
  sc.skipWs();
  const type = sc.token().toLowerCase();
  sc.expect(47, '"/"');
  sc.skipWs();
  const subtype = sc.token().toLowerCase();
  const params = new Map<string, string | null>();
  parseParams(sc, params);
  return { type, subtype, params };
}

export function parseMediaType(value: string): MediaType {
  const sc = new Scanner(value, 'Content-Type');
  const t = scanMediaType(sc);
  expectEnd(sc);
  return t;
}

/** Accept ranges in order; `[]` for an empty Accept (which accepts no body at all, RFC 3261 §20.1). */
export function parseAccept(values: string[]): MediaType[] {
  const out: MediaType[] = [];
  for (const v of values) {
    const sc = new Scanner(v, 'Accept');
    sc.skipWs();
    if (sc.eof) continue;
    for (;;) {
      out.push(scanMediaType(sc));
      if (!sc.eat(44)) break;
    }
    expectEnd(sc);
  }
  return out;
}

function parseFirst(values: string[]): MediaType | undefined {
  return values.length === 0 ? undefined : parseMediaType(values[0]!);
}

export function contentType(m: SipMessage): MediaType | undefined {
  return m.headers.typed('content-type', parseFirst);
}

/** Accept ranges, or undefined when there is no Accept header (then application/sdp is assumed, RFC 3261 §20.1). */
export function accept(m: SipMessage): MediaType[] | undefined {
  return m.headers.has('accept') ? m.headers.typed('accept', parseAccept) : undefined;
}

/** Whether a media range (possibly `*` / `type/*`) covers `type/subtype`. */
export function mediaRangeMatches(range: MediaType, type: string, subtype: string): boolean {
  return (range.type === '*' || range.type === type) && (range.subtype === '*' || range.subtype === subtype);
}

export function formatMediaType(t: MediaType): string {
  let out = `${t.type}/${t.subtype}`;
  for (const [k, v] of t.params) out += v === null ? `;${k}` : `;${k}=${v}`;
  return out;
}
