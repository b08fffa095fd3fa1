/**
 * SIP messages (RFC 3261 §7) as the rest of the stack sees them: a start line, an ordered
 * header list and a body. Header values stay as raw strings until someone asks for a typed
 * view (src/sip/headers/*), which is parsed once and cached on the list; headers nobody
 * reads are never parsed.
 */
import { HeaderList } from './header-list.js';

export { HeaderList };

export const SIP_VERSION = 'SIP/2.0';
const EMPTY = Buffer.alloc(0);

export class SipRequest {
  readonly kind = 'request' as const;
  constructor(
    public method: string,
    /** The Request-URI exactly as received (parse it with src/sip/uri.ts when needed). */
    public uri: string,
    public headers: HeaderList = new HeaderList(),
    public body: Buffer = EMPTY,
    public version: string = SIP_VERSION,
  ) {}
}

export class SipResponse {
  readonly kind = 'response' as const;
  constructor(
    public status: number,
    public reason: string,
    public headers: HeaderList = new HeaderList(),
    public body: Buffer = EMPTY,
    public version: string = SIP_VERSION,
  ) {}
}

export type SipMessage = SipRequest | SipResponse;

export function isRequest(m: SipMessage): m is SipRequest {
  return m.kind === 'request';
}

export function isResponse(m: SipMessage): m is SipResponse {
  return m.kind === 'response';
}
