/**
 * Responses call control sends (RFC 3261 §8.2.6): createResponse plus the header fields and
 * body a B2BUA's answers carry.
 */
import type { SipRequest, SipResponse } from '../../sip/message.js';
import { createResponse } from '../../sip/response.js';

export interface ResponseExtras {
  /** To tag when the request has none (dialog-creating responses). */
  toTag?: string;
  reason?: string;
  /** Record-Route copied (a dialog-creating response, §12.1.1). */
  copyRecordRoute?: boolean;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: string | Buffer;
  contentType?: string;
}

export function buildResponse(req: SipRequest, status: number, extras: ResponseExtras = {}): SipResponse {
  const res = createResponse(req, status, extras.reason, {
    ...(extras.toTag !== undefined ? { toTag: extras.toTag } : {}),
    ...(extras.copyRecordRoute ? { copyRecordRoute: true } : {}),
  });
  for (const [name, value] of extras.headers ?? []) res.headers.append(name, value);
  if (extras.body !== undefined) {
    res.body = typeof extras.body === 'string' ? Buffer.from(extras.body) : extras.body;
    res.headers.append('Content-Type', extras.contentType ?? 'application/sdp');
  }
  return res;
}

/** RFC 3261 §20.43 Warning for a 488 (or other refusal) that says why. */
export function warningHeader(code: number, agent: string, text: string): readonly [string, string] {
  return ['Warning', `${code} ${agent} "${text.replace(/["\\\r\n]/g, ' ').slice(0, 120)}"`];
}
