/**
 * Building requests inside a dialog (RFC 3261 §12.2.1.1) and the ACK for a 2xx (§13.2.2.4).
 *
 *   To         remote URI + remote tag       From      local URI + local tag
 *   Call-ID    the dialog's                  CSeq      local sequence number (+1, except ACK)
 *   Request-URI / Route   from the route set and remote target (route-set.ts)
 *   Contact    our local target, on target refresh requests (§12.2.1.1 SHOULD)
 *   Max-Forwards 70 (§8.1.1.6). No Via: the transaction layer adds it.
 */
import { formatNameAddr } from '../headers/name-addr.js';
import { HeaderList, SipRequest } from '../message.js';
import { routeRequest } from './route-set.js';
import { isTargetRefresh } from './target-refresh.js';

export interface InDialogRequestOptions {
  body?: Buffer | string;
  /** Content-Type of the body. */
  contentType?: string;
  /** More header fields, appended in order. */
  headers?: ReadonlyArray<readonly [string, string]>;
  /** Contact to send; default: the dialog's local contact on target refresh requests. */
  contact?: string;
}

/** The parts of a dialog a request is built from. */
export interface DialogRequestSource {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly localUri: string;
  readonly localDisplayName: string | undefined;
  readonly remoteUri: string;
  readonly remoteDisplayName: string | undefined;
  readonly remoteTarget: string;
  readonly routeSet: readonly string[];
  readonly localContact: string | undefined;
}

function party(uri: string, displayName: string | undefined, tag: string): string {
  const n: Parameters<typeof formatNameAddr>[0] = { uri, params: new Map() };
  if (displayName !== undefined) n.displayName = displayName;
  if (tag !== '') n.tag = tag;
  return formatNameAddr(n);
}

export function buildInDialogRequest(d: DialogRequestSource, method: string, seq: number, opts: InDialogRequestOptions = {}): SipRequest {
  const target = routeRequest(d.routeSet, d.remoteTarget);
  const h = new HeaderList();
  for (const r of target.routes) h.append('Route', r);
  h.append('Max-Forwards', '70');
  h.append('From', party(d.localUri, d.localDisplayName, d.localTag));
  h.append('To', party(d.remoteUri, d.remoteDisplayName, d.remoteTag));
  h.append('Call-ID', d.callId);
  h.append('CSeq', `${seq} ${method}`);
  const contact = opts.contact ?? (isTargetRefresh(method) ? d.localContact : undefined);
  if (contact !== undefined) h.append('Contact', contact);
  for (const [k, v] of opts.headers ?? []) h.append(k, v);
  let body: Buffer | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
    if (opts.contentType !== undefined) h.append('Content-Type', opts.contentType);
  }
  return new SipRequest(method, target.requestUri, h, body);
}
