// Builds REGISTER requests as a phone would send them (wire text through the real parser),
// plus the flow they arrive on, for the auth and registrar tests.
import { parseMessage } from '../../../../src/sip/parser.js';
import type { SipRequest } from '../../../../src/sip/message.js';
import type { Flow } from '../../../../src/sip/transport/flow.js';

export interface RegisterSpec {
  /** Request-URI; default sip:pbx.local */
  ruri?: string;
  /** AOR user part; default 1001 */
  user?: string;
  /** To/From host; default pbx.local */
  host?: string;
  /** Contact values, one field each; null = no Contact (a query). Default one UDP contact. */
  contact?: string | string[] | null;
  expires?: number;
  callId?: string;
  cseq?: number;
  authorization?: string | string[];
  proxyAuthorization?: string;
  /** Extra header lines ("Name: value"). */
  extra?: string[];
  method?: string;
}

export function registerText(s: RegisterSpec = {}): string {
  const user = s.user ?? '1001';
  const host = s.host ?? 'pbx.local';
  const method = s.method ?? 'REGISTER';
  const lines = [
    `${method} ${s.ruri ?? 'sip:pbx.local'} SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK' + (s.cseq ?? 1) + 'x' + (s.callId ?? 'c'),
    'Max-Forwards: 70',
    `From: <sip:${user}@${host}>;tag=ft${user}`,
    `To: <sip:${user}@${host}>`,
    `Call-ID: ${s.callId ?? 'reg-call-1@192.0.2.10'}`,
    `CSeq: ${s.cseq ?? 1} ${method}`,
  ];
  const contact = s.contact === undefined ? `<sip:${user}@192.0.2.10:5060>` : s.contact;
  if (contact !== null) for (const c of Array.isArray(contact) ? contact : [contact]) lines.push(`Contact: ${c}`);
  if (s.expires !== undefined) lines.push(`Expires: ${s.expires}`);
  const auth = s.authorization === undefined ? [] : Array.isArray(s.authorization) ? s.authorization : [s.authorization];
  for (const a of auth) lines.push(`Authorization: ${a}`);
  if (s.proxyAuthorization !== undefined) lines.push(`Proxy-Authorization: ${s.proxyAuthorization}`);
  lines.push('User-Agent: TestPhone/1.0', ...(s.extra ?? []), 'Content-Length: 0', '', '');
  return lines.join('\r\n');
}

export function parseRequest(text: string): SipRequest {
  const r = parseMessage(Buffer.from(text, 'utf8'));
  if (!r.ok) throw new Error(`test request did not parse: ${r.status} ${r.error}`);
  if (r.message.kind !== 'request') throw new Error('not a request');
  return r.message;
}

export function register(s: RegisterSpec = {}): SipRequest {
  return parseRequest(registerText(s));
}

export function udpFlow(remoteAddress = '192.0.2.10', remotePort = 5060): Flow {
  return { protocol: 'udp', remoteAddress, remotePort, localAddress: '192.0.2.1', localPort: 5060 };
}
