/**
 * RFC 3261 §10.3 steps 6-7 against the current bindings of one AOR: what to remove, what to
 * write, and the bindings that result. Pure: the registrar reads the bindings and applies the
 * plan inside one store transaction. A refusal (ordering, cap) is thrown before any change.
 */
import { sipUriEquals, parseUri, type SipUri } from '../uri.js';
import type { Flow } from '../transport/flow.js';
import type { BindingRecord } from './binding-store.js';
import { RegisterRefusal } from './register-refusal.js';
import { instanceKey, type RequestedContact } from './requested-contact.js';

export interface UpdateRequest {
  aor: string;
  callId: string;
  cseq: number;
  now: number;
  flow: Flow;
  path: string[];
  userAgent: string | undefined;
  maxExpires: number;
  maxContacts: number;
}

export interface BindingPlan {
  /** Contacts (store keys) to delete. */
  remove: string[];
  upsert: BindingRecord[];
  /** Every binding of the AOR after the change. */
  result: BindingRecord[];
}

/**
 * §10.3 step 7 ordering: for a binding written by a REGISTER with the same Call-ID, the CSeq
 * must be higher, else the whole request fails. RFC 3261 names no status; this registrar
 * answers 400 with a reason saying so: the request is out of order (a delayed datagram the
 * phone has long replaced, or a phone that reuses CSeq), and retrying it cannot succeed.
 */
export function checkOrder(b: BindingRecord, callId: string, cseq: number): void {
  if (b.callId === callId && cseq <= b.cseq) throw new RegisterRefusal(400, 'CSeq not higher than the binding\'s (RFC 3261 10.3)');
}

export function planContacts(current: readonly BindingRecord[], wanted: readonly RequestedContact[], u: UpdateRequest): BindingPlan {
  const result = new Map<string, BindingRecord>();
  for (const b of current) result.set(b.contact, b);
  const remove = new Set<string>();
  const upsert: BindingRecord[] = [];
  const written = new Set<string>();
  for (const rc of wanted) {
    const matches = matching(result, rc);
    // A binding this very request wrote (two Contacts for one device) is not out of order.
    for (const m of matches) if (!written.has(m.contact)) checkOrder(m, u.callId, u.cseq);
    const granted = Math.min(rc.expires, u.maxExpires);
    for (const m of matches) {
      // RFC 5626 §6: the same instance (and reg-id) from a new URI replaces the old binding,
      // so a phone that changed address leaves no ghost behind.
      if (granted === 0 || m.contact !== rc.uri) {
        result.delete(m.contact);
        remove.add(m.contact);
      }
    }
    if (granted === 0) continue;
    const b = toRecord(rc, granted, u);
    result.set(b.contact, b);
    remove.delete(b.contact);
    written.add(b.contact);
    upsert.push(b);
  }
  if (result.size > u.maxContacts && result.size > current.length) {
    throw new RegisterRefusal(403, `Too many contacts (at most ${u.maxContacts} per address-of-record)`);
  }
  return { remove: [...remove], upsert, result: [...result.values()] };
}

/** Bindings this contact updates: same instance key, or an equal URI (RFC 3261 §10.3 step 7, §19.1.4). */
function matching(bindings: ReadonlyMap<string, BindingRecord>, rc: RequestedContact): BindingRecord[] {
  const key = instanceKey(rc.instanceId, rc.regId);
  const out: BindingRecord[] = [];
  for (const b of bindings.values()) {
    if ((key !== undefined && instanceKey(b.instanceId, b.regId) === key) || sameContact(b.contact, rc.uri, rc.parsed)) out.push(b);
  }
  return out;
}

export function sameContact(stored: string, uri: string, parsed: SipUri): boolean {
  if (stored === uri) return true;
  try {
    const s = parseUri(stored);
    return s.scheme !== 'tel' && sipUriEquals(s, parsed);
  } catch {
    return false;
  }
}

function toRecord(rc: RequestedContact, granted: number, u: UpdateRequest): BindingRecord {
  const f = u.flow;
  const b: BindingRecord = {
    aor: u.aor,
    contact: rc.uri,
    callId: u.callId,
    cseq: u.cseq,
    expiresAt: u.now + granted * 1000,
    path: u.path,
    flow: { protocol: f.protocol, remoteAddress: f.remoteAddress, remotePort: f.remotePort, localAddress: f.localAddress, localPort: f.localPort },
    updatedAt: u.now,
  };
  if (f.connectionId !== undefined) b.flow.connectionId = f.connectionId;
  if (rc.instanceId !== undefined) b.instanceId = rc.instanceId;
  if (rc.regId !== undefined) b.regId = rc.regId;
  if (rc.q !== undefined) b.q = rc.q;
  if (u.userAgent !== undefined) b.userAgent = u.userAgent;
  if (rc.otherParams !== '') b.contactParams = rc.otherParams;
  return b;
}
