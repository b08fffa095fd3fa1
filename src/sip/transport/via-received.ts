/**
 * The transport-layer Via rules for requests we receive and the responses we send back:
 * - RFC 3261 §18.2.1: add `received` when the sent-by host is not the packet's source.
 * - RFC 3581 §4: when the top Via has an empty `rport`, fill in the source port and add
 *   `received` even if the address matches, so the response can find its way through NAT.
 * - RFC 3261 §18.2.2 with RFC 3581: a response over a stream reuses the connection; over UDP
 *   it goes to received:rport when rport was asked for, else to received (or sent-by) and the
 *   sent-by port.
 */
import { formatVia, parseVia, vias, type Via } from '../headers/via.js';
import type { SipRequest } from '../message.js';
import { isReliable, type Flow } from './flow.js';

const DEFAULT_PORT: Record<string, number> = { UDP: 5060, TCP: 5060, TLS: 5061, WS: 80, WSS: 443 };

/** Stamps received/rport on the top Via of `req` in place; returns the updated top Via. */
export function stampReceived(req: SipRequest, flow: Flow): Via {
  const first = req.headers.get('Via');
  if (first === undefined) throw new Error('stampReceived: request has no Via');
  // Usually the first field holds only the top Via: then the parser's cached view is reused.
  const single = !first.includes(',');
  const all = single ? vias(req) : undefined;
  const inField = all ? undefined : parseVia(first);
  const top = all ? all[0]! : inField![0]!;
  const hostAddress = top.host.startsWith('[') ? top.host.slice(1, -1) : top.host;
  if (top.rport === null) {
    top.rport = flow.remotePort;
    top.params.set('rport', String(flow.remotePort));
  } else if (hostAddress === flow.remoteAddress) {
    return top;
  }
  // Typed fields and the parameter map stay in step, as if the new value had been parsed.
  top.received = flow.remoteAddress;
  top.params.set('received', flow.remoteAddress);
  req.headers.replaceFirst('Via', inField ? inField.map(formatVia).join(', ') : formatVia(top));
  if (all) req.headers.prime('via', all); // the cached objects were updated in place
  return top;
}

/** Where the response to a request that arrived over `flow` with top Via `via` must go. */
export function responseFlow(via: Via, flow: Flow): Flow {
  if (isReliable(flow.protocol)) return flow;
  if (typeof via.rport === 'number') {
    const remoteAddress = via.received ?? flow.remoteAddress;
    // The usual case once stamped (§4 of RFC 3581): back to the source, which is `flow` itself.
    if (remoteAddress === flow.remoteAddress && via.rport === flow.remotePort) return flow;
    return { ...flow, remoteAddress, remotePort: via.rport };
  }
  const host = via.host.startsWith('[') ? via.host.slice(1, -1) : via.host;
  return {
    ...flow,
    remoteAddress: via.received ?? host,
    remotePort: via.port ?? DEFAULT_PORT[via.transport] ?? 5060,
  };
}
