/**
 * The Contact values of a REGISTER read into what the registrar acts on (RFC 3261 §10.3
 * steps 6-7): URI, requested expiry, q, and the RFC 5626 instance and reg-id. Anything the
 * registrar cannot act on is a RegisterRefusal (400), never an exception escaping.
 */
import { parseDeltaSeconds } from '../headers/expires.js';
import { unquote } from '../headers/grammar.js';
import type { NameAddr } from '../headers/name-addr.js';
import { parseUri, type SipUri } from '../uri.js';
import { RegisterRefusal } from './register-refusal.js';

export interface RequestedContact {
  /** The URI as written (escapes kept, RFC 4475 §3.3.14 regescrt), without <>. */
  uri: string;
  parsed: SipUri;
  /** Seconds asked for: the contact's expires, else the Expires header, else the default. */
  expires: number;
  q?: number;
  instanceId?: string;
  regId?: number;
  /** Parameters other than expires, q, +sip.instance and reg-id, as `;name=value`. */
  otherParams: string;
}

/** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )  (RFC 3261 §25.1) */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
const REG_ID = /^[1-9]\d{0,9}$/;

export function readContact(c: NameAddr, headerExpires: number | undefined, defaultExpires: number): RequestedContact {
  let parsed;
  try {
    parsed = parseUri(c.uri);
  } catch {
    throw new RegisterRefusal(400, 'Malformed Contact URI');
  }
  // A PBX reaches its phones over SIP only; a tel: or mailto: binding could never be called.
  if (parsed.scheme === 'tel') throw new RegisterRefusal(400, 'Contact must be a SIP or SIPS URI');
  // One pass over the parameters; every property set up front (one object shape).
  const out: RequestedContact = {
    uri: c.uri,
    parsed,
    expires: headerExpires ?? defaultExpires,
    q: undefined,
    instanceId: undefined,
    regId: undefined,
    otherParams: '',
  };
  let regId: string | null | undefined;
  for (const [name, value] of c.params) {
    switch (name) {
      case 'expires':
        out.expires = delta(value);
        break;
      case 'q':
        if (value === null || !QVALUE.test(value)) throw new RegisterRefusal(400, 'Malformed q in Contact');
        out.q = Number(value);
        break;
      case '+sip.instance':
        out.instanceId = instanceId(value);
        break;
      case 'reg-id':
        regId = value;
        break;
      default:
        out.otherParams += value === null ? `;${name}` : `;${name}=${value}`;
    }
  }
  // RFC 5626 §6: reg-id only means something together with +sip.instance; alone it is ignored.
  if (regId !== undefined && out.instanceId !== undefined) {
    if (regId === null || !REG_ID.test(regId) || Number(regId) > 0x7fffffff) throw new RegisterRefusal(400, 'Malformed reg-id in Contact');
    out.regId = Number(regId);
  }
  return out;
}

/** +sip.instance="<urn:...>" (RFC 5626 §4.1): the value without quotes, angle brackets kept. */
function instanceId(value: string | null): string {
  const v = value === null ? '' : unquote(value);
  if (v.length < 3 || v[0] !== '<' || v[v.length - 1] !== '>') throw new RegisterRefusal(400, 'Malformed +sip.instance in Contact');
  return v;
}

function delta(v: string | null): number {
  if (v === null) throw new RegisterRefusal(400, 'Malformed expires in Contact');
  try {
    return parseDeltaSeconds(v);
  } catch {
    throw new RegisterRefusal(400, 'Malformed expires in Contact');
  }
}

/** Binding identity beyond the URI: RFC 5626 instance (and reg-id), if the contact has one. */
export function instanceKey(instanceId: string | undefined, regId: number | undefined): string | undefined {
  return instanceId === undefined ? undefined : `${instanceId}\n${regId ?? ''}`;
}
