import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSdp } from '../../../../src/rtp/sdp/index.js';
import { sdp, sdpErrorOf, sdpVector, sdpVectorNames } from './sdp-vectors.js';

/** Each file of test/vectors/sdp/malformed and the RFC rule it breaks. */
const RULES: Record<string, string> = {
  'bad-c-line': 'c= needs nettype, addrtype and address (RFC 4566 §5.7)',
  'bad-m-line-no-formats': 'm= needs at least one format (RFC 4566 §5.14)',
  'bad-m-line-no-port': 'm= needs a port (RFC 4566 §5.14)',
  'bad-m-line-payload-type': 'RTP formats are payload type numbers (RFC 4566 §5.14, RFC 3551 §3)',
  'bad-m-line-port-range': 'm= port is a 16-bit UDP port (RFC 4566 §5.14)',
  'bad-o-line': 'o= has six fields (RFC 4566 §5.2)',
  garbage: 'a body is <type>=<value> lines (RFC 4566 §5)',
  'missing-c': 'c= at session level or in every media description (RFC 4566 §5.7)',
  'missing-o': 'o= is required (RFC 4566 §5.2)',
  'missing-s': 's= is required (RFC 4566 §5.3)',
  'missing-t': 't= is required (RFC 4566 §5.9)',
  'missing-v': 'the body starts with v=0 (RFC 4566 §5.1)',
  'space-before-equals': 'no whitespace around = (RFC 4566 §5)',
  'truncated-baresip-offer': 'a body cut inside its m= line is malformed (RFC 4566 §5.14)',
  'wrong-version': 'v=0 is the only version (RFC 4566 §5.1)',
};

test('every malformed vector has a rule in this test', () => {
  assert.equal(sdpVectorNames('malformed'), Object.keys(RULES).sort());
});

for (const [name, rule] of Object.entries(RULES)) {
  test(`400 for ${name}: ${rule}`, () => {
    const err = sdpErrorOf(() => parseSdp(sdpVector(`malformed/${name}`)), 400);
    assert.ok(err.message.startsWith('malformed SDP'), err.message);
  });
}

test('400 for an empty body and for whitespace only (RFC 4566 §5)', () => {
  sdpErrorOf(() => parseSdp(''), 400);
  sdpErrorOf(() => parseSdp(Buffer.from('\r\n \r\n')), 400);
});

test('400 for a second v= or a second o= line (RFC 4566 §5)', () => {
  sdpErrorOf(() => parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 'v=0', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0')), 400);
  sdpErrorOf(() => parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0')), 400);
});

test('400 for a bad c= inside a media description and for a bad t= (RFC 4566 §5.7, §5.9)', () => {
  sdpErrorOf(() => parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0', 'm=audio 4000 RTP/AVP 0', 'c=IN IPX 192.0.2.1')), 400);
  sdpErrorOf(() => parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=now', 'm=audio 4000 RTP/AVP 0')), 400);
});

test('400 for a payload type above 127 (RFC 3551 §3)', () => {
  sdpErrorOf(() => parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0 128')), 400);
});

test('the error names the offending line', () => {
  const err = sdpErrorOf(() => parseSdp(sdpVector('malformed/bad-m-line-no-port')), 400);
  assert.match(err.message, /m=audio RTP\/AVP 0/);
});

test('non-RTP m-lines keep their own format tokens (RFC 4566 §5.14: t38, webrtc-datachannel)', () => {
  const d = parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=image 4000 udptl t38', 'm=application 5000 UDP/DTLS/SCTP webrtc-datachannel'));
  assert.equal(d.media.map((m) => m.formats), [['t38'], ['webrtc-datachannel']]);
});

test.run();
