/**
 * The registrar core (RFC 3261 §10.3), sans-IO: an authenticated REGISTER and its context
 * in, the response out, bindings changed through the BindingStore in one transaction.
 *
 *   step 1  Request-URI names this PBX: its domain, one of its addresses, or the address
 *           the request arrived on (any IP literal when listening on a wildcard address);
 *           anything else -> 404 (this registrar forwards nothing)
 *   step 2  Require: checked before (request-checks.ts, with `path` and `outbound` supported)
 *   step 3  authentication: done before (AuthGuard); ctx.username is the digest username
 *   step 4  the To AOR's user must be that username -> 403 otherwise
 *   step 5  the To AOR's host must be ours -> 404; a To that is no SIP/SIPS URI -> 400
 *   step 6  Contact `*` only alone and with Expires: 0 (400 otherwise), removing every binding
 *   step 7  per contact: expiry from its expires parameter, else Expires, else the default;
 *           0 removes; under minExpires -> 423 + Min-Expires (§20.23); over maxExpires ->
 *           shortened; Call-ID/CSeq ordering (binding-update.ts); RFC 5626 instance/reg-id
 *           replacement; Path (RFC 3327) and the flow recorded; a cap per AOR -> 403
 *   step 8  200 OK listing every binding with its remaining expires, and a Date
 *
 * A REGISTER without Contact is a query: 200 with the current bindings, nothing changed.
 * Malformed To, Contact, Expires, Path, Call-ID or CSeq -> 400; a store failure -> 500.
 * Nothing is ever thrown out of `register`.
 */
import { SipSyntaxError } from '../errors.js';
import { callId } from '../headers/call-id.js';
import { cseq } from '../headers/cseq.js';
import { formatSipDate } from '../headers/date.js';
import { expires } from '../headers/expires.js';
import { contacts, formatNameAddr, paths, to } from '../headers/name-addr.js';
import { supported } from '../headers/option-tags.js';
import { userAgent } from '../headers/user-agent.js';
import type { SipRequest, SipResponse } from '../message.js';
import { createResponse } from '../response.js';
import { responseToTag } from '../auth/response-tag.js';
import { parseUri, requestUri } from '../uri.js';
import { LocalHosts } from '../local-hosts.js';
import type { Flow } from '../transport/flow.js';
import { compareBindings, type BindingRecord, type BindingStore } from './binding-store.js';
import { checkOrder, planContacts, type UpdateRequest } from './binding-update.js';
import { RegisterRefusal } from './register-refusal.js';
import { readContact } from './requested-contact.js';

/** Names and units (seconds) as in config.yaml `registrar:`, plus what the switch knows. */
export interface RegistrarOptions {
  /** The SIP domain (config sip.domain); phones register <ext>@<domain>. */
  domain: string;
  /** Other hosts that name this PBX (its public address, DNS aliases). */
  localAddresses?: readonly string[];
  minExpires: number;
  maxExpires: number;
  defaultExpires: number;
  /** Bindings one AOR may hold. Default 10. */
  maxContactsPerAor?: number;
  store: BindingStore;
  /** Told about unexpected errors (a failing store) answered 500, for the shell to log. */
  onError?: (err: unknown) => void;
}

export interface RegisterContext {
  /** The authenticated digest username: the device extension and the AOR's user part. */
  username: string;
  /** The flow the REGISTER arrived on. */
  flow: Flow;
  /** Epoch ms. */
  now: number;
}

export class Registrar {
  private readonly hosts: LocalHosts;
  private readonly maxContacts: number;

  constructor(private readonly opts: RegistrarOptions) {
    this.hosts = new LocalHosts(opts.domain, opts.localAddresses);
    this.maxContacts = opts.maxContactsPerAor ?? 10;
  }

  register(req: SipRequest, ctx: RegisterContext): SipResponse {
    try {
      return this.process(req, ctx);
    } catch (err) {
      if (err instanceof RegisterRefusal) return refuse(req, err.status, err.reason, err.headers);
      if (err instanceof SipSyntaxError) return refuse(req, 400, 'Malformed request', []);
      this.opts.onError?.(err);
      return refuse(req, 500, 'Server Internal Error', []);
    }
  }

  private process(req: SipRequest, ctx: RegisterContext): SipResponse {
    this.checkRequestUri(req, ctx.flow);
    this.checkAddressOfRecord(req, ctx);
    const aor = ctx.username;
    const list = read(() => contacts(req), 'Malformed Contact');
    const store = this.opts.store;
    if (Array.isArray(list) && list.length === 0) return this.ok(req, ctx.now, store.bindings(aor, ctx.now), undefined);
    const id = read(() => callId(req), 'Malformed Call-ID');
    const seq = read(() => cseq(req), 'Malformed CSeq').seq;
    const headerExpires = read(() => expires(req), 'Malformed Expires');
    if (list === '*') {
      // §10.3 step 6: "*" only with Expires: 0 (the parser already refused "*" among others).
      if (headerExpires !== 0) throw new RegisterRefusal(400, 'Contact * needs Expires: 0');
      store.transaction(() => {
        for (const b of store.bindings(aor, ctx.now)) checkOrder(b, id, seq);
        store.removeAll(aor);
      });
      return this.ok(req, ctx.now, [], undefined);
    }
    const wanted = list.map((c) => readContact(c, headerExpires, this.opts.defaultExpires));
    for (const rc of wanted) {
      // §10.3 step 7 / §20.23: too brief (0 is a removal, never too brief).
      if (rc.expires !== 0 && rc.expires < this.opts.minExpires) {
        throw new RegisterRefusal(423, 'Interval Too Brief', [['Min-Expires', String(this.opts.minExpires)]]);
      }
    }
    const update: UpdateRequest = {
      aor,
      callId: id,
      cseq: seq,
      now: ctx.now,
      flow: ctx.flow,
      path: read(() => paths(req), 'Malformed Path').map(formatNameAddr),
      userAgent: userAgent(req),
      maxExpires: this.opts.maxExpires,
      maxContacts: this.maxContacts,
    };
    const result = store.transaction(() => {
      const plan = planContacts(store.bindings(aor, ctx.now), wanted, update);
      for (const c of plan.remove) store.remove(aor, c);
      for (const b of plan.upsert) store.upsert(b);
      return plan.result;
    });
    const outbound = wanted.some((c) => c.regId !== undefined) && read(() => supported(req), 'Malformed Supported').includes('outbound');
    return this.ok(req, ctx.now, result.sort(compareBindings), outbound ? 'outbound' : undefined);
  }

  /** Step 1: the Request-URI must name this PBX (user part, port and parameters ignored). */
  private checkRequestUri(req: SipRequest, flow: Flow): void {
    const uri = read(() => requestUri(req), 'Malformed Request-URI');
    if (uri.scheme === 'tel' || !this.isOurHost(uri.host, flow)) throw new RegisterRefusal(404, 'Domain not served here');
  }

  /** Steps 4-5: the To AOR is the authenticated user's, in our domain. */
  private checkAddressOfRecord(req: SipRequest, ctx: RegisterContext): void {
    const toAddr = read(() => to(req), 'Malformed To');
    let uri;
    try {
      uri = parseUri(toAddr.uri);
    } catch {
      uri = undefined;
    }
    // RFC 3261 §10.2: the AOR MUST be a SIP or SIPS URI (RFC 4475 §3.3.4 unksm2).
    if (!uri || uri.scheme === 'tel') throw new RegisterRefusal(400, 'To must be a SIP or SIPS URI');
    if (uri.user !== ctx.username) throw new RegisterRefusal(403, 'Not allowed to register this address-of-record');
    if (!this.isOurHost(uri.host, ctx.flow)) throw new RegisterRefusal(404, 'Address-of-record not in this domain');
  }

  /** Step 1 / step 5: see local-hosts.ts for what names this PBX. */
  private isOurHost(host: string, flow: Flow): boolean {
    return this.hosts.includes(host, flow.localAddress);
  }

  /** Step 8: 200 OK with every binding and its remaining time, and a Date (§20.17). */
  private ok(req: SipRequest, now: number, bindings: readonly BindingRecord[], require: string | undefined): SipResponse {
    const res = createResponse(req, 200, 'OK', { toTag: responseToTag(req) });
    const h = res.headers;
    for (const b of bindings) h.append('Contact', formatBinding(b, now));
    // RFC 3327 §5.3: Path is echoed only to a UA that said it supports it.
    const pathValues = req.headers.getAll('Path');
    if (pathValues.length && supportsPath(req)) for (const p of pathValues) h.append('Path', p);
    if (require) h.append('Require', require); // RFC 5626 §6
    h.append('Supported', 'path, outbound');
    h.append('Date', this.date(now));
    return res;
  }

  private dateSecond = NaN;
  private dateText = '';

  /** The Date value (RFC 3261 §20.17), formatted once per second. */
  private date(now: number): string {
    const second = Math.floor(now / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.dateText = formatSipDate(second * 1000);
    }
    return this.dateText;
  }
}

export function formatBinding(b: BindingRecord, now: number): string {
  let out = `<${b.contact}>;expires=${Math.max(0, Math.ceil((b.expiresAt - now) / 1000))}`;
  if (b.q !== undefined) out += `;q=${b.q}`;
  if (b.instanceId !== undefined) out += `;+sip.instance="${b.instanceId}"`;
  if (b.regId !== undefined) out += `;reg-id=${b.regId}`;
  if (b.contactParams !== undefined) out += b.contactParams;
  return out;
}

function supportsPath(req: SipRequest): boolean {
  try {
    return supported(req).includes('path');
  } catch {
    return false;
  }
}

/** Runs a typed-header read; a syntax error becomes a 400 with `reason`. */
function read<T>(fn: () => T, reason: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SipSyntaxError) throw new RegisterRefusal(400, reason);
    throw err;
  }
}


function refuse(req: SipRequest, status: number, reason: string, headers: ReadonlyArray<[string, string]>): SipResponse {
  const res = createResponse(req, status, reason, { toTag: responseToTag(req) });
  for (const [name, value] of headers) res.headers.append(name, value);
  return res;
}

