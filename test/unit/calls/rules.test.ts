// The pure rules of call control, without a network: fork outcome, DTMF INFO bodies,
// RFC 4028 negotiation, codec choice, caller ID formatting.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertedIdentityValue, fromValue, presentedIdentity } from '../../../src/app/calls/caller-id.js';
import { offerCodecs, readAnswer, singleCodecAnswer } from '../../../src/app/calls/codec-choice.js';
import { dtmfRelayBody, parseDtmfInfo } from '../../../src/app/calls/dtmf-info.js';
import { bestFailure } from '../../../src/app/calls/fork.js';
import { negotiateAsUas, negotiatedAsUac, sessionExpires } from '../../../src/app/calls/session-timer.js';
import { parseSdp, SdpError } from '../../../src/rtp/sdp/index.js';
import { SipResponse, HeaderList } from '../../../src/sip/message.js';
import { request } from '../../support/sip-builders.js';
import { phoneSdp } from './support/phone-sdp.js';

const f = (status: number, reason = 'x') => ({ status, reason });

test('fork outcome: a 6xx wins, then 486 when any device was busy, 488 when all refused the media, else 480', () => {
  assert.equal(bestFailure([f(486), f(603, 'Decline')]), { status: 603, reason: 'Decline', disposition: 'busy' });
  assert.equal(bestFailure([f(480), f(486), f(408)]), { status: 486, reason: 'Busy Here', disposition: 'busy' });
  assert.equal(bestFailure([f(488), f(488)]).status, 488);
  assert.equal(bestFailure([f(488), f(408)]), { status: 480, reason: 'Temporarily Unavailable', disposition: 'failed' });
  assert.equal(bestFailure([f(503)]).disposition, 'failed');
});

test('DTMF INFO bodies: dtmf-relay with Signal/Duration, dtmf with a digit or event code; unknown ones ignored', () => {
  const b = (s: string) => Buffer.from(s);
  assert.equal(parseDtmfInfo('application/dtmf-relay', b('Signal=5\r\nDuration=250\r\n')), { digit: '5', durationMs: 250 });
  assert.equal(parseDtmfInfo('application/dtmf-relay', b('signal= #\nduration=100')), { digit: '#', durationMs: 100 });
  assert.equal(parseDtmfInfo('application/dtmf-relay', b('Signal=16\r\n')), { digit: '!', durationMs: 160 }, 'flash (RFC 4734)');
  assert.equal(parseDtmfInfo('application/dtmf-relay', b('Signal=a\r\nDuration=99999999')), { digit: 'A', durationMs: 160 });
  assert.equal(parseDtmfInfo('application/dtmf', b('10')), { digit: '*', durationMs: 160 });
  assert.is(parseDtmfInfo('application/dtmf-relay', b('Signal=X')), undefined);
  assert.is(parseDtmfInfo('text/plain', b('5')), undefined);
  assert.is(dtmfRelayBody({ digit: '!', durationMs: 80 }), 'Signal=16\r\nDuration=80\r\n');
});

test('RFC 4028 §9 negotiation as UAS: nothing asked, too small, refresher chosen, interval capped and floored by Min-SE', () => {
  const req = (headers: Array<[string, string]>) => request('INVITE', { headers });
  assert.equal(negotiateAsUas(req([]), 1800), { kind: 'none' });
  assert.equal(negotiateAsUas(req([['Session-Expires', '60']]), 1800), { kind: 'too-small', minSe: 90 });
  assert.equal(negotiateAsUas(req([['Session-Expires', '3600'], ['Supported', 'timer']]), 1800), {
    kind: 'timer', seconds: 1800, refresher: 'uac', headers: [['Session-Expires', '1800;refresher=uac'], ['Require', 'timer']],
  });
  assert.equal(negotiateAsUas(req([['Session-Expires', '600']]), 1800), {
    kind: 'timer', seconds: 600, refresher: 'uas', headers: [['Session-Expires', '600;refresher=uas']],
  }, 'a UAC without timer support leaves refreshing to us');
  const floored = negotiateAsUas(req([['Session-Expires', '1000;refresher=uas'], ['Min-SE', '900']]), 300);
  assert.equal(floored.kind === 'timer' && floored.seconds, 900, 'never below the Min-SE asked for');
  assert.equal(negotiateAsUas(req([['Require', 'timer']]), 1800).kind, 'timer');
  assert.equal(sessionExpires(req([['x', '120;refresher=UAS']])), { seconds: 120, refresher: 'uas' }, 'compact form, case-insensitive');
  const res = new SipResponse(200, 'OK', new HeaderList());
  res.headers.append('Session-Expires', '300;refresher=uas');
  assert.equal(negotiatedAsUac(res), { seconds: 300, refresher: 'uas' });
});

test('codec choice: the offer to the callee puts the caller codecs first; answers carry one codec, telephone-event at its rate', () => {
  assert.equal(offerCodecs(['PCMA', 'opus'], ['PCMU', 'PCMA', 'G722', 'opus']).codecs.map((c) => c.name), ['PCMA', 'opus', 'PCMU', 'G722']);
  assert.equal(offerCodecs(['G722'], ['PCMU']).codecs.map((c) => c.name), ['PCMU'], 'only configured codecs');
  const offer = parseSdp(phoneSdp({ port: 4000, codecs: ['PCMU', 'PCMA', 'G722'] })).audio!;
  assert.equal(singleCodecAnswer(offer, ['PCMU', 'PCMA', 'G722'], 'G722').codecs.map((c) => c.name), ['G722']);
  assert.equal(singleCodecAnswer(offer, ['PCMA'], 'G722').codecs.map((c) => c.name), ['PCMA']);
  assert.is(singleCodecAnswer(offer, ['PCMU']).telephoneEvent?.payloadType, 101);
  assert.throws(() => singleCodecAnswer(offer, ['opus']), (e: unknown) => e instanceof SdpError && e.status === 488);
  const ours = offerCodecs([], ['PCMU', 'PCMA']).codecs;
  const answer = parseSdp(phoneSdp({ port: 4002, codecs: ['G729', 'PCMA'] })).audio!;
  assert.equal(readAnswer(answer, ours).codecs.map((c) => c.name), ['PCMA'], 'what the answer names that we offered');
  assert.throws(() => readAnswer(parseSdp(phoneSdp({ port: 4002, codecs: ['G729'] })).audio, ours), (e: unknown) => e instanceof SdpError);
});

test('caller ID: custom number or main extension, name quoted as display name (RFC 3261 §25.1)', () => {
  const user = { id: 1, ext: '1000', name: 'Ann "the" Boss', callerId: '+4930123', mobile: null, createdAt: 0, updatedAt: 0 };
  const id = presentedIdentity(user, null);
  assert.is(fromValue(id, 'pbx.test', 'abc'), '"Ann \\"the\\" Boss" <sip:+4930123@pbx.test>;tag=abc');
  assert.is(assertedIdentityValue(presentedIdentity({ ...user, callerId: null, name: '' }, null), 'pbx.test'), '<sip:1000@pbx.test>');
});

test.run();
