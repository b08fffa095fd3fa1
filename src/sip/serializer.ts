/**
 * SIP message serializer (RFC 3261 §7): start line, headers in list order with their
 * canonical names, a Content-Length that always matches the body (§18.3, §20.14), the empty
 * line, the body.
 *
 * Header values are written as stored; a CR or LF inside a value (which could only come from
 * code building headers, never from the parser) is written as SP so that no value can
 * inject a header line.
 */
import type { SipMessage } from './message.js';

/** HeaderList yields canonical display names, so one spelling is enough. */
const CONTENT_LENGTH = 'Content-Length';

export function serializeMessage(m: SipMessage): Buffer {
  let head = m.kind === 'request' ? `${m.method} ${m.uri} ${m.version}\r\n` : `${m.version} ${m.status} ${m.reason}\r\n`;
  let wroteLength = false;
  const h = m.headers;
  for (let i = 0; i < h.size; i++) {
    const name = h.nameAt(i);
    if (name === CONTENT_LENGTH) {
      // The first Content-Length keeps its place; repeats are dropped.
      if (!wroteLength) head += `Content-Length: ${m.body.length}\r\n`;
      wroteLength = true;
      continue;
    }
    head += `${name}: ${safeValue(h.valueAt(i))}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${m.body.length}\r\n`;
  head += '\r\n';
  if (m.body.length === 0) return Buffer.from(head, 'utf8');
  const headLength = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLength + m.body.length);
  out.write(head, 0, 'utf8');
  m.body.copy(out, headLength);
  return out;
}

function safeValue(v: string): string {
  return v.indexOf('\n') < 0 && v.indexOf('\r') < 0 ? v : v.replace(/[\r\n]/g, ' ');
}
