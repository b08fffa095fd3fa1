/**
 * Small builders for the transaction and dialog tests: requests with the mandatory header
 * fields of RFC 3261 §8.1.1, and transaction layers on a FakeClock.
 */
import { HeaderList, SipRequest } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import type { Flow, TransportProtocol } from '../../src/sip/transport/flow.js';
import { TransactionLayer, type TransactionLayerOptions } from '../../src/sip/transaction/transaction-layer.js';
import type { FakeClock } from './fake-clock.js';

export interface RequestSpec {
  uri?: string;
  from?: string;
  to?: string;
  callId?: string;
  cseq?: number;
  /** Full Via values, top first; none = let the transaction layer add one. */
  via?: string[];
  contact?: string;
  route?: string[];
  recordRoute?: string[];
  headers?: Array<[string, string]>;
  body?: string;
}

let calls = 0;

export function request(method: string, spec: RequestSpec = {}): SipRequest {
  const h = new HeaderList();
  for (const v of spec.via ?? []) h.append('Via', v);
  for (const r of spec.route ?? []) h.append('Route', r);
  for (const r of spec.recordRoute ?? []) h.append('Record-Route', r);
  h.append('Max-Forwards', '70');
  h.append('From', spec.from ?? '<sip:alice@a.example>;tag=fa1');
  h.append('To', spec.to ?? '<sip:bob@b.example>');
  h.append('Call-ID', spec.callId ?? `call-${++calls}@a.example`);
  h.append('CSeq', `${spec.cseq ?? 1} ${method}`);
  if (spec.contact !== undefined) h.append('Contact', spec.contact);
  for (const [k, v] of spec.headers ?? []) h.append(k, v);
  const body = Buffer.from(spec.body ?? '');
  return new SipRequest(method, spec.uri ?? 'sip:bob@b.example', h, body);
}

/** Serializes nothing: parses raw text (CRLF added) into a request, as the transport would deliver it. */
export function parseRequest(text: string): SipRequest {
  const r = parseMessage(Buffer.from(text.replace(/\r?\n/g, '\r\n')));
  if (!r.ok || r.message.kind !== 'request') throw new Error(r.ok ? 'not a request' : r.error);
  return r.message;
}

export function layer(clock: FakeClock, host: string, opts: Partial<TransactionLayerOptions> = {}): TransactionLayer {
  return new TransactionLayer({ clock, viaSentBy: (f) => ({ host, port: f.localPort }), ...opts });
}

export function flow(protocol: TransportProtocol, remoteAddress: string, remotePort = 5060, localAddress = '192.0.2.1', localPort = 5060): Flow {
  const f: Flow = { protocol, remoteAddress, remotePort, localAddress, localPort };
  if (protocol !== 'udp') f.connectionId = 1;
  return f;
}
