import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as transformParse, write as transformWrite } from 'sdp-transform';
import { LocalSdp, negotiateAnswer, parseSdp } from '../../../../src/rtp/sdp/index.js';
import { sdpVector, sdpVectorNames } from './sdp-vectors.js';

const ALL = ['PCMU', 'PCMA', 'G722', 'opus'] as const;

test('there are vectors to round-trip', () => {
  assert.ok(sdpVectorNames().length >= 20);
});

for (const name of sdpVectorNames()) {
  test(`${name}: sdp-transform parse + write keeps what parseSdp reads`, () => {
    const text = sdpVector(name).toString('utf8');
    const rewritten = transformWrite(transformParse(text));
    const before = parseSdp(text);
    const after = parseSdp(rewritten);
    assert.equal(after.media, before.media);
    assert.equal(after.audio, before.audio);
    assert.equal(after.origin.sessionId, before.origin.sessionId);
  });
}

for (const name of sdpVectorNames().filter((n) => n.includes('offer') && !n.startsWith('our-'))) {
  test(`${name}: our answer, when there is one, parses back to what was negotiated (RFC 3264 §6)`, () => {
    const offer = parseSdp(sdpVector(name));
    let negotiated: ReturnType<typeof negotiateAnswer>;
    try {
      negotiated = negotiateAnswer(offer.audio, ALL);
    } catch {
      assert.ok(/srtp|webrtc/.test(name), `${name} should be answerable`);
      return;
    }
    const answer = parseSdp(new LocalSdp({ address: '203.0.113.1' }).build(30000, negotiated, offer)).audio!;
    assert.equal(answer.codecs, negotiated.codecs);
    assert.equal(answer.telephoneEvent, negotiated.telephoneEvent);
    assert.is(answer.direction, negotiated.direction);
    assert.is(answer.ptime, 20);
    assert.is(answer.index, offer.audio!.index);
    assert.is(parseSdp(new LocalSdp({ address: '203.0.113.1' }).build(30000, negotiated, offer)).media.length, offer.media.length);
  });
}

test.run();
