// serializeMessage: the wire form of a message, and the parse -> serialize -> parse round trip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as h from '../../../src/sip/headers/index.js';
import { HeaderList, SipRequest, SipResponse, type SipMessage } from '../../../src/sip/message.js';
import { parseMessage } from '../../../src/sip/parser.js';
import { serializeMessage } from '../../../src/sip/serializer.js';
import { requestUri } from '../../../src/sip/uri.js';
import { vectorBytes, vectorNames, type VectorKind } from './vectors.js';

/** What a SIP element acts on, as plain data: start line, typed core headers, other headers, body. */
function meaning(m: SipMessage): unknown {
  const safe = (f: () => unknown) => {
    try {
      return f();
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };
  return {
    start: m.kind === 'request' ? [m.method, m.uri, m.version, safe(() => requestUri(m))] : [m.status, m.reason, m.version],
    via: safe(() => h.vias(m)),
    from: safe(() => h.from(m)),
    to: safe(() => h.to(m)),
    callId: safe(() => h.callId(m)),
    cseq: safe(() => h.cseq(m)),
    contacts: safe(() => h.contacts(m)),
    routes: safe(() => h.routes(m)),
    maxForwards: safe(() => h.maxForwards(m)),
    contentType: safe(() => h.contentType(m)),
    auth: safe(() => h.authorizations(m)),
    // Every header as (name, value) pairs, except Content-Length, which the serializer rewrites.
    headers: [...m.headers].filter(([n]) => n !== 'Content-Length'),
    body: m.body.toString('latin1'),
  };
}

for (const kind of ['valid', 'semantic'] as VectorKind[]) {
  for (const name of vectorNames(kind)) {
    test(`${kind}/${name}: serializeMessage(parseMessage(x)) parses back to the same message`, () => {
      const first = parseMessage(vectorBytes(kind, name));
      if (!first.ok) throw new Error(first.error);
      const wire = serializeMessage(first.message);
      const second = parseMessage(wire);
      if (!second.ok) throw new Error(`${second.error}\n${wire.toString('latin1')}`);
      assert.equal(meaning(second.message), meaning(first.message));
      // The written Content-Length is the body's length, once.
      assert.equal(second.message.headers.getAll('Content-Length'), [String(first.message.body.length)]);
      // A second round is byte-identical: the serialized form is a fixed point.
      assert.ok(serializeMessage(second.message).equals(wire));
    });
  }
}

test('Content-Length is written from the body, at the first Content-Length position, once (RFC 3261 §18.3)', () => {
  const hl = new HeaderList().append('Via', 'SIP/2.0/UDP a;branch=z9hG4bK1').append('Content-Length', '99').append('CSeq', '1 MESSAGE').append('l', '7');
  const m = new SipRequest('MESSAGE', 'sip:a@b', hl, Buffer.from('héllo'));
  const text = serializeMessage(m).toString('utf8');
  assert.is(text, 'MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nContent-Length: 6\r\nCSeq: 1 MESSAGE\r\n\r\nhéllo');
  const res = new SipResponse(200, 'OK', new HeaderList().append('CSeq', '1 MESSAGE'));
  assert.is(serializeMessage(res).toString(), 'SIP/2.0 200 OK\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n');
});

test('header values are written with canonical names, UTF-8, and a CR or LF in a value cannot start a new header', () => {
  const hl = new HeaderList().append('subject', 'Grüße').append('x-evil', 'a\r\nVia: SIP/2.0/UDP evil');
  const wire = serializeMessage(new SipRequest('MESSAGE', 'sip:a@b', hl)).toString('utf8');
  assert.ok(wire.includes('Subject: Grüße\r\n'));
  assert.ok(wire.includes('X-Evil: a  Via: SIP/2.0/UDP evil\r\n'));
  assert.not.ok(wire.includes('\r\nVia:'));
});

test('binary bodies are copied octet for octet', () => {
  const body = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 0x80]);
  const wire = serializeMessage(new SipRequest('MESSAGE', 'sip:a@b', new HeaderList(), body));
  assert.ok(wire.subarray(wire.length - body.length).equals(body));
});

test.run();
