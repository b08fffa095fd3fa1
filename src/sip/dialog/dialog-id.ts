/**
 * Dialog identifiers (RFC 3261 §12): Call-ID, local tag and remote tag. Which tag is local
 * depends on the direction of the message:
 *
 * - a request we receive (§12.2.2): local tag = To tag, remote tag = From tag;
 * - a response to a request we sent (§12.1.2): local tag = From tag, remote tag = To tag.
 *
 * An RFC 2543 peer may send no From tag; its remote tag is then the empty string (the
 * "null" tag of §12.1.1). Tags are opaque tokens compared byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { callId } from '../headers/call-id.js';
import { from, to } from '../headers/name-addr.js';
import type { SipRequest, SipResponse } from '../message.js';

export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

export function dialogKey(id: DialogId): string {
  return `${id.callId}\n${id.localTag}\n${id.remoteTag}`;
}

/**
 * The key of the dialog an incoming request claims to belong to, or undefined when its To
 * has no tag (then it is not a mid-dialog request, §12.2.2) or the headers are unreadable.
 */
export function dialogKeyOfRequest(req: SipRequest): string | undefined {
  try {
    const local = to(req).tag;
    if (local === undefined) return undefined;
    return dialogKey({ callId: callId(req), localTag: local, remoteTag: from(req).tag ?? '' });
  } catch {
    return undefined;
  }
}

/** The key of the dialog a response to one of our requests belongs to (undefined without To tag). */
export function dialogKeyOfResponse(res: SipResponse): string | undefined {
  try {
    const remote = to(res).tag;
    if (remote === undefined) return undefined;
    return dialogKey({ callId: callId(res), localTag: from(res).tag ?? '', remoteTag: remote });
  } catch {
    return undefined;
  }
}

/** A new tag (RFC 3261 §19.3: at least 32 bits of randomness). */
export function newTag(): string {
  return randomBytes(8).toString('hex');
}
