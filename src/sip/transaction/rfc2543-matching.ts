/**
 * Matching requests whose top Via branch lacks the magic cookie (RFC 2543 peers, and
 * RFC 4475 §3.2.1 badbranch, whose branch is the bare cookie), per the last paragraphs of
 * RFC 3261 §17.2.3:
 *
 * - INVITE (retransmission): Request-URI, To tag, From tag, Call-ID, CSeq and top Via equal
 *   to those of the INVITE that created the transaction.
 * - ACK: Request-URI, From tag, Call-ID, CSeq number (not method) and top Via equal to the
 *   INVITE's, and the ACK's To tag equal to the To tag of the response the transaction sent.
 * - Every other method: Request-URI, To tag, From tag, Call-ID, CSeq (method included), top Via.
 * - CANCEL -> the INVITE it cancels (§9.2): as an INVITE retransmission, but method INVITE.
 *
 * Transactions are bucketed by Call-ID, CSeq number and From tag (always compared), then the
 * few candidates are compared field by field with the header's own equality rules.
 */
import { callId } from '../headers/call-id.js';
import { cseq } from '../headers/cseq.js';
import { from, to } from '../headers/name-addr.js';
import { topVia, type Via } from '../headers/via.js';
import type { SipRequest } from '../message.js';
import { requestUri, sipUriEquals } from '../uri.js';
import type { ServerTx } from './transaction.js';

/** The bucket of a request; throws SipSyntaxError when Call-ID, CSeq or From is unreadable. */
export function rfc2543Bucket(req: SipRequest): string {
  return `${callId(req)}\n${cseq(req).seq}\n${from(req).tag ?? ''}`;
}

export class Rfc2543Index {
  private readonly buckets = new Map<string, ServerTx[]>();

  add(tx: ServerTx, bucket: string): void {
    tx.rfc2543Bucket = bucket;
    const list = this.buckets.get(bucket);
    if (list) list.push(tx);
    else this.buckets.set(bucket, [tx]);
  }

  remove(tx: ServerTx): void {
    const bucket = tx.rfc2543Bucket;
    if (bucket === undefined) return;
    const list = this.buckets.get(bucket);
    if (!list) return;
    const i = list.indexOf(tx);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.buckets.delete(bucket);
  }

  /** An INVITE retransmission or any non-ACK request. */
  findRequest(req: SipRequest): ServerTx | undefined {
    return this.find(req, (tx) => tx.method === req.method && sameToTag(tx.request, req));
  }

  /** An ACK for a non-2xx response sent by an INVITE transaction. */
  findAck(ack: SipRequest): ServerTx | undefined {
    const tag = to(ack).tag;
    return this.find(ack, (tx) => tx.isInvite && tx.lastResponse !== undefined && to(tx.lastResponse).tag === tag);
  }

  /** The INVITE transaction a CANCEL cancels (RFC 3261 §9.2). */
  findInviteForCancel(cancel: SipRequest): ServerTx | undefined {
    return this.find(cancel, (tx) => tx.isInvite && sameToTag(tx.request, cancel));
  }

  private find(req: SipRequest, accept: (tx: ServerTx) => boolean): ServerTx | undefined {
    const list = this.buckets.get(rfc2543Bucket(req));
    if (!list) return undefined;
    const via = topVia(req);
    for (const tx of list) {
      if (accept(tx) && sameRequestUri(tx.request, req) && viaEquals(topVia(tx.request), via)) return tx;
    }
    return undefined;
  }
}

function sameToTag(a: SipRequest, b: SipRequest): boolean {
  return to(a).tag === to(b).tag;
}

/** Request-URIs compare with RFC 3261 §19.1.4 when both are SIP or SIPS, byte for byte otherwise. */
function sameRequestUri(a: SipRequest, b: SipRequest): boolean {
  if (a.uri === b.uri) return true;
  try {
    const ua = requestUri(a);
    const ub = requestUri(b);
    return ua.scheme !== 'tel' && ub.scheme !== 'tel' && sipUriEquals(ua, ub);
  } catch {
    return false;
  }
}

/** Via equality (RFC 3261 §20.42): sent-protocol, sent-by and the same parameters; host and values case-insensitively. */
export function viaEquals(a: Via, b: Via): boolean {
  if (a.protocol !== b.protocol || a.transport !== b.transport || a.port !== b.port) return false;
  if (a.host.toLowerCase() !== b.host.toLowerCase() || a.params.size !== b.params.size) return false;
  for (const [k, v] of a.params) {
    if (!b.params.has(k)) return false;
    const w = b.params.get(k)!;
    if (v === null || w === null ? v !== w : v.toLowerCase() !== w.toLowerCase()) return false;
  }
  return true;
}
