import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalSdp, SdpError, defaultOfferCodecs, negotiateAnswer, parseSdp, toPayloadMappings } from '../../../../src/rtp/sdp/index.js';

const OFFER = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  '',
].join('\r\n');

test('offer -> answer -> our body round trip (RFC 3264 §6)', () => {
  const offer = parseSdp(OFFER);
  assert.ok(offer.audio);
  const answer = negotiateAnswer(offer.audio, ['PCMA', 'PCMU']);
  assert.equal(answer.codecs.map((c) => c.payloadType), [0, 8]);
  assert.equal(answer.telephoneEvent?.payloadType, 101);
  const body = new LocalSdp({ address: '198.51.100.1', sessionId: '42' }).build(30000, answer, offer);
  const back = parseSdp(body);
  assert.equal(back.audio?.port, 30000);
  assert.equal(back.audio?.codecs.map((c) => c.name), ['PCMU', 'PCMA']);
  assert.equal(toPayloadMappings(back.audio!.codecs), [{ payloadType: 0, codec: 'PCMU' }, { payloadType: 8, codec: 'PCMA' }]);
});

test('default offer codecs follow the preference list', () => {
  const { codecs, telephoneEvent } = defaultOfferCodecs(['opus', 'PCMU']);
  assert.equal(codecs.map((c) => [c.payloadType, c.name]), [[111, 'opus'], [0, 'PCMU']]);
  assert.equal(telephoneEvent.payloadType, 101);
});

test('garbage is SdpError 400 (RFC 4566 §5)', () => {
  try {
    parseSdp('hello');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, SdpError);
    assert.is((err as SdpError).status, 400);
  }
});

test.run();
