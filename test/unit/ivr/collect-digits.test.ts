import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CollectDigits, type CollectDigitsSpec } from '../../../src/ivr/collect-digits.js';
import { IvrHost } from './ivr-host.js';

const PIN = '4321';
const ADMIN_PIN = '9876';

/** The room-PIN step as the conference service will build it. */
function pinSpec(over: Partial<CollectDigitsSpec> = {}): CollectDigitsSpec {
  return {
    prompts: ['conf-enter-pin'],
    invalidPrompts: ['conf-wrong-pin'],
    retryPrompts: [],
    finalPrompts: ['conf-wrong-pin-goodbye'],
    maxDigits: 12,
    minDigits: 4,
    firstDigitTimeoutMs: 10_000,
    interDigitTimeoutMs: 5_000,
    maxAttempts: 3,
    validate: (d) => (d === PIN || d === ADMIN_PIN ? 'ok' : 'invalid'),
    onFailure: { type: 'hangup' },
    ...over,
  };
}

function started(spec: CollectDigitsSpec): IvrHost {
  const host = new IvrHost(new CollectDigits(spec));
  host.start();
  return host;
}

test('start plays the prompts with barge-in and arms no timer until the prompt has ended', () => {
  const host = new IvrHost(new CollectDigits(pinSpec()));
  const actions = host.start();
  assert.equal(actions, [{ type: 'play', playId: 'p1', prompts: [{ id: 'conf-enter-pin' }], bargeIn: true }]);
  assert.equal(host.timers.size, 0);
  assert.equal(host.played(), [{ type: 'start-timer', name: 'first-digit', ms: 10_000 }]);
});

test('keys followed by the # terminator complete the entry; the terminator is not part of the digits', () => {
  const host = started(pinSpec());
  host.played();
  host.keys('4321#');
  assert.equal(host.result, { outcome: 'collected', digits: '4321', attempts: 1 });
  host.assertIdle();
});

test('each key re-arms the inter-digit timer with interDigitTimeoutMs, replacing the first-digit timer', () => {
  const host = started(pinSpec());
  host.played();
  assert.equal(host.keys('4'), [
    { type: 'cancel-timer', name: 'first-digit' },
    { type: 'start-timer', name: 'inter-digit', ms: 5_000 },
  ]);
  assert.equal(host.keys('3'), [{ type: 'start-timer', name: 'inter-digit', ms: 5_000 }]);
  assert.equal([...host.timers], [['inter-digit', 5_000]]);
});

test('the inter-digit timeout ends the entry with the keys so far, which are then validated', () => {
  const host = started(pinSpec());
  host.played();
  host.keys('9876');
  host.fire('inter-digit');
  assert.equal(host.result, { outcome: 'collected', digits: '9876', attempts: 1 });
  host.assertIdle();
});

test('the entry ends by itself at maxDigits keys, without waiting for a terminator', () => {
  const host = started(pinSpec({ maxDigits: 4 }));
  host.played();
  const actions = host.keys('4321');
  assert.equal(actions.at(-1), { type: 'done', result: { outcome: 'collected', digits: '4321', attempts: 1 } });
  host.assertIdle();
});

test('terminator * is configurable; # is then an ordinary key of the entry', () => {
  const host = started(pinSpec({ terminators: '*', validate: undefined, minDigits: 1 }));
  host.played();
  host.keys('12#3*');
  assert.equal(host.result, { outcome: 'collected', digits: '12#3', attempts: 1 });
});

test('with terminators "#*" either key ends the entry', () => {
  for (const t of '#*') {
    const host = started(pinSpec({ terminators: '#*', validate: undefined, minDigits: 1 }));
    host.played();
    host.keys(`555${t}`);
    assert.equal(host.result, { outcome: 'collected', digits: '555', attempts: 1 }, t);
  }
});

test('barge-in: a key during the prompt stops the playback and is kept as the first key of the entry', () => {
  const host = started(pinSpec());
  const actions = host.keys('4');
  assert.equal(actions, [
    { type: 'stop-playback', playId: 'p1' },
    { type: 'start-timer', name: 'inter-digit', ms: 5_000 },
  ]);
  host.keys('321#');
  assert.equal(host.result, { outcome: 'collected', digits: '4321', attempts: 1 });
});

test('barge-in: the late "played" of the stopped prompt is ignored (no first-digit timer armed over the entry)', () => {
  const host = started(pinSpec());
  host.keys('43');
  assert.equal(host.playedStopped(), []);
  assert.equal([...host.timers.keys()], ['inter-digit']);
  host.keys('21#');
  assert.equal(host.result?.outcome, 'collected');
});

test('without barge-in keys during the prompt are discarded and collection starts when it ends', () => {
  const host = started(pinSpec({ bargeIn: false }));
  assert.equal(host.lastPlay().bargeIn, false);
  assert.equal(host.keys('99'), []);
  host.played();
  host.keys('4321#');
  assert.equal(host.result, { outcome: 'collected', digits: '4321', attempts: 1 }, 'the 9s pressed over the prompt are not in the entry');
});

test('a wrong PIN plays the invalid prompt, then a fresh entry starts (attempt 2 reads only new keys)', () => {
  const host = started(pinSpec());
  host.played();
  host.keys('1111#');
  assert.equal(host.prompts(), ['conf-wrong-pin']);
  assert.equal(host.timers.size, 0, 'no timer while the retry prompt plays');
  host.played();
  assert.equal([...host.timers], [['first-digit', 10_000]]);
  host.keys('4321#');
  assert.equal(host.result, { outcome: 'collected', digits: '4321', attempts: 2 });
});

test('retry prompts default to the first prompts, after the invalid prompt', () => {
  const host = started(pinSpec({ retryPrompts: undefined }));
  host.played();
  host.keys('0000#');
  assert.equal(host.prompts(), ['conf-wrong-pin', 'conf-enter-pin']);
});

test('an entry shorter than minDigits is invalid even when validate would accept it', () => {
  const host = started(pinSpec({ minDigits: 4, validate: () => 'ok' }));
  host.played();
  host.keys('12#');
  assert.equal(host.prompts(), ['conf-wrong-pin']);
});

test('no key before the first-digit timeout is no-input: noInputPrompts then retryPrompts, not the invalid prompt', () => {
  const host = started(pinSpec({ noInputPrompts: ['ivr-invalid-choice'], retryPrompts: ['conf-enter-pin'] }));
  host.played();
  host.fire('first-digit');
  assert.equal(host.prompts(), ['ivr-invalid-choice', 'conf-enter-pin']);
});

test('a terminator alone is an empty entry: no-input, not a wrong PIN', () => {
  const host = started(pinSpec({ maxAttempts: 1, onFailure: { type: 'continue' }, finalPrompts: [] }));
  host.played();
  host.keys('#');
  assert.equal(host.result, { outcome: 'failed', digits: '', attempts: 1, reason: 'no-input' });
});

test('a terminator that barges in stops the prompt and counts as an empty entry', () => {
  const host = started(pinSpec({ retryPrompts: ['conf-enter-pin'] }));
  const actions = host.keys('#');
  assert.equal(actions[0], { type: 'stop-playback', playId: 'p1' });
  assert.equal(host.prompts(), ['conf-enter-pin'], 'attempt 2 prompts again');
});

test('three wrong PINs: the final prompt plays without barge-in, then hang up with reason max-attempts', () => {
  const host = started(pinSpec());
  for (let i = 0; i < 2; i++) {
    host.keys('1111#'); // barge-in over the prompt
    assert.equal(host.prompts(), ['conf-wrong-pin']);
  }
  host.keys('2222#');
  assert.equal(host.prompts(), ['conf-wrong-pin-goodbye']);
  assert.is(host.lastPlay().bargeIn, false);
  assert.equal(host.keys('4321#'), [], 'keys over the final prompt are ignored');
  assert.is(host.result, undefined, 'not done before the final prompt has played');
  host.played();
  assert.equal(host.result, { outcome: 'hangup', reason: 'max-attempts' });
  host.assertIdle();
});

test('failure action transfer: after the final prompt, done with the transfer target', () => {
  const host = started(pinSpec({ maxAttempts: 1, onFailure: { type: 'transfer', target: '100' } }));
  host.played();
  host.keys('0000#');
  host.played();
  assert.equal(host.result, { outcome: 'transfer', target: '100' });
});

test('failure action continue: done with the last entry and why it failed', () => {
  const host = started(pinSpec({ maxAttempts: 2, onFailure: { type: 'continue' }, finalPrompts: [] }));
  host.played();
  host.keys('1111#');
  host.played();
  host.keys('5555#');
  assert.equal(host.result, { outcome: 'failed', digits: '5555', attempts: 2, reason: 'invalid' });
  host.assertIdle();
});

test('hang-up reason is configurable, and without final prompts the step ends at the last failure', () => {
  const host = started(pinSpec({ maxAttempts: 1, finalPrompts: [], onFailure: { type: 'hangup', reason: 'wrong-pin' } }));
  host.played();
  const actions = host.keys('0000#');
  assert.equal(actions.at(-1), { type: 'done', result: { outcome: 'hangup', reason: 'wrong-pin' } });
  host.assertIdle();
});

test('no retry and no invalid prompt: the next attempt starts at once with the first-digit timer', () => {
  const host = started(pinSpec({ invalidPrompts: [], retryPrompts: [] }));
  host.played();
  const actions = host.keys('0000#');
  assert.equal(actions.at(-1), { type: 'start-timer', name: 'first-digit', ms: 10_000 });
  assert.equal(host.playing.size, 0);
});

test('a key during the invalid prompt barges in and is the first key of the next attempt', () => {
  const host = started(pinSpec());
  host.played();
  host.keys('0000#');
  const playId = host.currentPlayId();
  assert.equal(host.keys('4')[0], { type: 'stop-playback', playId });
  host.keys('321#');
  assert.equal(host.result, { outcome: 'collected', digits: '4321', attempts: 2 });
});

test('success on the third attempt reports attempts 3', () => {
  const host = started(pinSpec());
  host.keys('1#');
  host.keys('12#');
  host.keys('9876#');
  assert.equal(host.result, { outcome: 'collected', digits: '9876', attempts: 3 });
});

test('timer names not armed and playback ids not current are ignored', () => {
  const step = new CollectDigits(pinSpec());
  step.start();
  assert.equal(step.handle({ type: 'timer', name: 'first-digit' }), [], 'first-digit is not armed while the prompt plays');
  assert.equal(step.handle({ type: 'played', playId: 'p7' }), []);
  assert.equal(step.handle({ type: 'played', playId: 'p1' }), [{ type: 'start-timer', name: 'first-digit', ms: 10_000 }]);
  assert.equal(step.handle({ type: 'played', playId: 'p1' }), [], 'a duplicate played');
  assert.equal(step.handle({ type: 'timer', name: 'inter-digit' }), []);
});

test('keys that are not one of the 16 DTMF keys (RFC 4733 §3.2 events 0-15) are ignored', () => {
  const host = started(pinSpec({ validate: undefined, minDigits: 1 }));
  host.played();
  assert.equal(host.keys('x'), []);
  assert.equal(host.step.handle({ type: 'digit', digit: '12' }), []);
  assert.equal(host.step.handle({ type: 'digit', digit: '' }), []);
  host.keys('AD#');
  assert.equal(host.result, { outcome: 'collected', digits: 'AD', attempts: 1 }, 'A-D are DTMF keys');
});

test('start twice and handle before start are programming errors; inputs after done are ignored', () => {
  const step = new CollectDigits(pinSpec());
  assert.throws(() => step.handle({ type: 'digit', digit: '1' }), /before start/);
  step.start();
  assert.throws(() => step.start(), /twice/);
  step.handle({ type: 'played', playId: 'p1' });
  for (const d of '4321#') step.handle({ type: 'digit', digit: d });
  assert.equal(step.result, { outcome: 'collected', digits: '4321', attempts: 1 });
  assert.equal(step.handle({ type: 'digit', digit: '1' }), []);
  assert.equal(step.handle({ type: 'timer', name: 'inter-digit' }), []);
});

test('an impossible spec is refused when the step is built', () => {
  assert.throws(() => new CollectDigits(pinSpec({ maxDigits: 0 })), /maxDigits/);
  assert.throws(() => new CollectDigits(pinSpec({ minDigits: 13 })), /minDigits/);
  assert.throws(() => new CollectDigits(pinSpec({ maxAttempts: 0 })), /maxAttempts/);
  assert.throws(() => new CollectDigits(pinSpec({ interDigitTimeoutMs: 0 })), /timeouts/);
  assert.throws(() => new CollectDigits(pinSpec({ terminators: '#x' })), /not a DTMF key/);
});

test('no prompts at all: collection starts at once', () => {
  const host = new IvrHost(new CollectDigits(pinSpec({ prompts: [] })));
  assert.equal(host.start(), [{ type: 'start-timer', name: 'first-digit', ms: 10_000 }]);
});

test.run();
