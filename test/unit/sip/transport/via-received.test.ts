import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseVia } from '../../../../src/sip/headers/via.js';
import { parseMessage } from '../../../../src/sip/parser.js';
import type { SipRequest } from '../../../../src/sip/message.js';
import type { Flow } from '../../../../src/sip/transport/flow.js';
import { responseFlow, stampReceived } from '../../../../src/sip/transport/via-received.js';

const udp = (remoteAddress: string, remotePort: number): Flow => ({
  protocol: 'udp',
  remoteAddress,
  remotePort,
  localAddress: '192.0.2.1',
  localPort: 5060,
});

function request(via: string): SipRequest {
  const r = parseMessage(
    Buffer.from(
      `OPTIONS sip:pbx.local SIP/2.0\r\nVia: ${via}\r\nVia: SIP/2.0/UDP proxy.example;branch=z9hG4bKp\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
    ),
  );
  if (!r.ok || r.message.kind !== 'request') throw new Error(r.ok ? 'not a request' : r.error);
  return r.message;
}

test('adds received when sent-by differs from the source address (RFC 3261 §18.2.1)', () => {
  const req = request('SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK1');
  const via = stampReceived(req, udp('203.0.113.9', 40000));
  assert.is(via.received, '203.0.113.9');
  assert.match(req.headers.get('Via')!, /^SIP\/2\.0\/UDP 10\.0\.0\.5:5062;branch=z9hG4bK1;received=203\.0\.113\.9$/);
  assert.is(req.headers.getAll('Via').length, 2, 'other Vias untouched');
  // No rport requested: the answer goes to received and the sent-by port.
  assert.equal(responseFlow(via, udp('203.0.113.9', 40000)), { ...udp('203.0.113.9', 5062) });
});

test('leaves the Via alone when sent-by is the source address', () => {
  const req = request('SIP/2.0/UDP 203.0.113.9:5062;branch=z9hG4bK1');
  const before = req.headers.get('Via');
  stampReceived(req, udp('203.0.113.9', 5062));
  assert.is(req.headers.get('Via'), before);
});

test('fills an empty rport and always adds received, then answers to received:rport (RFC 3581 §4)', () => {
  const req = request('SIP/2.0/UDP 10.0.0.5:5062;rport;branch=z9hG4bK1');
  const via = stampReceived(req, udp('203.0.113.9', 40000));
  assert.is(via.rport, 40000);
  assert.match(req.headers.get('Via')!, /rport=40000/);
  assert.match(req.headers.get('Via')!, /received=203\.0\.113\.9/);
  assert.equal(responseFlow(via, udp('203.0.113.9', 40000)), udp('203.0.113.9', 40000));
});

test('only the first via-parm of a comma-joined field is touched', () => {
  const req = request('SIP/2.0/UDP 10.0.0.5;rport;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.6;branch=z9hG4bK0');
  stampReceived(req, udp('203.0.113.9', 40000));
  assert.match(req.headers.get('Via')!, /rport=40000.*, SIP\/2\.0\/UDP 10\.0\.0\.6;branch=z9hG4bK0$/);
});

test('responses over a stream reuse the connection (RFC 3261 §18.2.2)', () => {
  const req = request('SIP/2.0/TCP 10.0.0.5;branch=z9hG4bK1');
  const flow: Flow = { ...udp('203.0.113.9', 40000), protocol: 'tcp', connectionId: 7 };
  const via = stampReceived(req, flow);
  assert.is(responseFlow(via, flow), flow);
});

test('the stamped Via object equals a fresh parse of the rewritten header (cached view stays consistent)', () => {
  for (const via of ['SIP/2.0/UDP 10.0.0.5:5062;rport;branch=z9hG4bK1', 'SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK1']) {
    const req = request(via);
    const stamped = stampReceived(req, udp('203.0.113.9', 40000));
    const fresh = parseVia(req.headers.get('Via')!)[0]!;
    assert.equal({ ...stamped, params: [...stamped.params] }, { ...fresh, params: [...fresh.params] });
  }
});

test.run();
