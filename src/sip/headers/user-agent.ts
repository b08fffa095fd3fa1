/**
 * User-Agent (RFC 3261 §20.41) and Server (§20.35): free text (server-val tokens and
 * comments) kept as written; nothing in the stack interprets them.
 */
import type { SipMessage } from '../message.js';

export function userAgent(m: SipMessage): string | undefined {
  return m.headers.get('user-agent');
}

export function server(m: SipMessage): string | undefined {
  return m.headers.get('server');
}
