/**
 * Reason (RFC 3326 §2, with RFC 9366 allowing several values per protocol).
 *
 *   Reason       = "Reason" HCOLON reason-value *(COMMA reason-value)
 *   reason-value = protocol *(SEMI reason-params)
 *   reason-params = protocol-cause / reason-text / reason-extension
 *   protocol-cause = "cause" EQUAL cause ; reason-text = "text" EQUAL quoted-string
 */
import { SipSyntaxError } from '../errors.js';
import type { SipMessage } from '../message.js';
import { expectEnd, parseBoundedInt, parseParams, quote, Scanner, unquote } from './grammar.js';

export interface Reason {
  /** 'SIP', 'Q.850', ... as written. */
  protocol: string;
  cause?: number;
  /** Unquoted reason text. */
  text?: string;
  params: Map<string, string | null>;
}

export function parseReason(value: string): Reason[] {
  const sc = new Scanner(value, 'Reason');
  const out: Reason[] = [];
  for (;;) {
    sc.skipWs();
    const protocol = sc.token();
    const params = new Map<string, string | null>();
    parseParams(sc, params);
    const r: Reason = { protocol, params };
    const cause = params.get('cause');
    if (cause !== undefined) {
      if (cause === null) throw new SipSyntaxError('Reason: cause needs a value');
      r.cause = parseBoundedInt(cause, 0xffff, 'Reason: cause', 5);
    }
    const text = params.get('text');
    if (text !== undefined && text !== null) r.text = unquote(text);
    out.push(r);
    if (!sc.eat(44)) break;
  }
  expectEnd(sc);
  return out;
}

function parseAll(values: string[]): Reason[] {
  const out: Reason[] = [];
  for (const v of values) for (const r of parseReason(v)) out.push(r);
  return out;
}

export function reasons(m: SipMessage): Reason[] {
  return m.headers.typed('reason', parseAll);
}

/** `SIP ;cause=200 ;text="Call completed elsewhere"` style value (RFC 3326 §2). */
export function formatReason(r: { protocol: string; cause?: number; text?: string }): string {
  let out = r.protocol;
  if (r.cause !== undefined) out += `;cause=${r.cause}`;
  if (r.text !== undefined) out += `;text=${quote(r.text)}`;
  return out;
}
