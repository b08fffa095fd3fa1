import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CollectDigits } from '../../../src/ivr/collect-digits.js';
import { IvrFlow, type IvrFlowSpec } from '../../../src/ivr/ivr-flow.js';
import type { IvrResult } from '../../../src/ivr/ivr-types.js';
import { menu } from '../../../src/ivr/menu.js';
import { PlayPrompts } from '../../../src/ivr/play-prompts.js';
import { IvrHost } from './ivr-host.js';

/** Rooms as the host would look them up (the flow itself never reads a store). */
const ROOMS = new Map([
  ['8001', { pin: '1234' }],
  ['8002', { pin: '' }],
]);

/** "Enter the conference number", then "enter the PIN" for that room; no room: say so, hang up. */
function conferenceFlow(): IvrFlowSpec {
  return {
    first: 'number',
    steps: {
      number: {
        create: () =>
          new CollectDigits({
            prompts: ['conf-enter-number'],
            maxDigits: 4,
            firstDigitTimeoutMs: 8_000,
            interDigitTimeoutMs: 4_000,
            maxAttempts: 3,
            validate: (d) => (ROOMS.has(d) ? 'ok' : 'invalid'),
            invalidPrompts: ['conf-no-such-number'],
            onFailure: { type: 'continue' },
          }),
        next: (r) => (r.outcome === 'collected' ? (ROOMS.get(r.digits)!.pin ? 'pin' : 'joined') : 'no-room'),
      },
      pin: {
        create: (ctx) => {
          const number = (ctx.results.get('number') as Extract<IvrResult, { outcome: 'collected' }>).digits;
          const pin = ROOMS.get(number)!.pin;
          return new CollectDigits({
            prompts: ['conf-enter-pin'],
            invalidPrompts: ['conf-wrong-pin'],
            retryPrompts: [],
            finalPrompts: ['conf-wrong-pin-goodbye'],
            maxDigits: 12,
            firstDigitTimeoutMs: 8_000,
            interDigitTimeoutMs: 4_000,
            maxAttempts: 3,
            validate: (d) => (d === pin ? 'ok' : 'invalid'),
            onFailure: { type: 'hangup', reason: 'wrong-pin' },
          });
        },
        next: (r) => (r.outcome === 'collected' ? 'joined' : r),
      },
      joined: { create: () => new PlayPrompts({ prompts: ['conf-joined'] }) },
      'no-room': {
        create: () => new PlayPrompts({ prompts: ['ivr-goodbye'] }),
        next: () => ({ outcome: 'hangup', reason: 'no-such-room' }),
      },
    },
  };
}

test('flow: conference number then PIN, the PIN step built for the room the number step found', () => {
  const flow = new IvrFlow(conferenceFlow());
  const host = new IvrHost(flow);
  assert.equal(host.start(), [{ type: 'play', playId: 'number#1:p1', prompts: [{ id: 'conf-enter-number' }], bargeIn: true }]);
  assert.is(flow.currentStep, 'number');
  host.played();
  host.keys('8001');
  assert.is(flow.currentStep, 'pin');
  assert.equal(host.lastPlay(), { type: 'play', playId: 'pin#2:p1', prompts: [{ id: 'conf-enter-pin' }], bargeIn: true });
  host.played();
  assert.equal([...host.timers], [['pin#2:first-digit', 8_000]]);
  host.keys('1234#');
  assert.equal(host.prompts(), ['conf-joined']);
  host.played();
  assert.equal(host.result, { outcome: 'collected', digits: '', attempts: 1 });
  assert.equal(flow.results.get('number'), { outcome: 'collected', digits: '8001', attempts: 1 });
  assert.equal(flow.results.get('pin'), { outcome: 'collected', digits: '1234', attempts: 1 });
  assert.is(flow.currentStep, undefined);
  host.assertIdle();
});

test('flow: a room without PIN skips the PIN step (next picks the branch)', () => {
  const flow = new IvrFlow(conferenceFlow());
  const host = new IvrHost(flow);
  host.start();
  host.keys('8002');
  assert.is(flow.currentStep, 'joined');
  assert.is(flow.results.has('pin'), false);
});

test('flow: three wrong PINs end the whole flow in the PIN step\'s hang-up', () => {
  const host = new IvrHost(new IvrFlow(conferenceFlow()));
  host.start();
  host.keys('8001');
  for (const wrong of ['1111#', '2222#', '3333#']) host.keys(wrong);
  assert.equal(host.prompts(), ['conf-wrong-pin-goodbye']);
  host.played();
  assert.equal(host.result, { outcome: 'hangup', reason: 'wrong-pin' });
  host.assertIdle();
});

test('flow: no such conference after the attempts: goodbye, then hang up with the flow\'s own reason', () => {
  const host = new IvrHost(new IvrFlow(conferenceFlow()));
  host.start();
  for (let i = 0; i < 3; i++) host.keys('9999');
  assert.equal(host.prompts(), ['ivr-goodbye']);
  host.played();
  assert.equal(host.result, { outcome: 'hangup', reason: 'no-such-room' });
});

test('flow: the late played of a step that barged in never reaches the next step', () => {
  const host = new IvrHost(new IvrFlow(conferenceFlow()));
  host.start();
  host.keys('8001'); // over the number prompt: stop-playback number#1:p1, then the PIN step plays
  assert.equal(host.stopped, ['number#1:p1']);
  assert.equal(host.playedStopped(), [], 'not taken for the end of the PIN prompt');
  assert.equal(host.timers.size, 0, 'the PIN step still waits for its own prompt');
  assert.equal(host.played(), [{ type: 'start-timer', name: 'pin#2:first-digit', ms: 8_000 }]);
});

test('flow: timers of a step that finished are cancelled, and unprefixed or foreign names are ignored', () => {
  const flow = new IvrFlow(conferenceFlow());
  const host = new IvrHost(flow);
  host.start();
  host.played();
  host.keys('80'); // number step: inter-digit armed
  assert.equal(flow.handle({ type: 'timer', name: 'inter-digit' }), [], 'no prefix');
  assert.equal(flow.handle({ type: 'timer', name: 'pin#2:inter-digit' }), [], 'another step');
  const actions = host.keys('01');
  assert.ok(actions.some((a) => a.type === 'cancel-timer' && a.name === 'number#1:inter-digit'));
  assert.equal(flow.handle({ type: 'timer', name: 'number#1:inter-digit' }), [], 'after the step ended');
});

test('flow: a menu branches by key, and a step entered again gets a new prefix', () => {
  const spec: IvrFlowSpec = {
    first: 'menu',
    steps: {
      menu: {
        create: () => menu({ prompts: ['menu'], keys: '129', timeoutMs: 3_000, maxAttempts: 1, onFailure: { type: 'hangup' } }),
        next: (r) => (r.outcome !== 'collected' ? r : r.digits === '1' ? 'muted' : r.digits === '2' ? 'count' : { outcome: 'transfer', target: 'operator' }),
      },
      muted: { create: () => new PlayPrompts({ prompts: ['conf-muted'] }), next: () => 'menu' },
      count: { create: () => new PlayPrompts({ prompts: ['conf-one-participant'] }), next: () => 'menu' },
    },
  };
  const host = new IvrHost(new IvrFlow(spec));
  host.start();
  host.played();
  host.keys('1');
  assert.equal(host.lastPlay().playId, 'muted#2:p1');
  host.played();
  assert.equal(host.lastPlay().playId, 'menu#3:p1');
  host.played();
  assert.equal([...host.timers], [['menu#3:first-digit', 3_000]]);
  host.keys('2');
  assert.equal(host.prompts(), ['conf-one-participant']);
  host.played();
  host.played();
  host.keys('9');
  assert.equal(host.result, { outcome: 'transfer', target: 'operator' });
  host.assertIdle();
});

test('flow: flows nest, and the prefixes compose', () => {
  const inner: IvrFlowSpec = { first: 'say', steps: { say: { create: () => new PlayPrompts({ prompts: ['conf-joined'] }) } } };
  const outer: IvrFlowSpec = { first: 'welcome', steps: { welcome: { create: () => new IvrFlow(inner), next: () => ({ outcome: 'hangup', reason: 'end' }) } } };
  const host = new IvrHost(new IvrFlow(outer));
  host.start();
  assert.is(host.lastPlay().playId, 'welcome#1:say#1:p1');
  host.played();
  assert.equal(host.result, { outcome: 'hangup', reason: 'end' });
});

test('flow: an unknown first or next step, and steps looping without input, are programming errors', () => {
  assert.throws(() => new IvrFlow({ first: 'nope', steps: {} }), /first step/);
  const toNowhere = new IvrFlow({ first: 'a', steps: { a: { create: () => new PlayPrompts({ prompts: [] }), next: () => 'b' } } });
  assert.throws(() => toNowhere.start(), /no step named "b"/);
  const loop = new IvrFlow({ first: 'a', steps: { a: { create: () => new PlayPrompts({ prompts: [] }), next: () => 'a' } } });
  assert.throws(() => loop.start(), /without input/);
});

test('flow: start twice and handle before start throw; inputs after done are ignored', () => {
  const flow = new IvrFlow(conferenceFlow());
  assert.throws(() => flow.handle({ type: 'digit', digit: '1' }), /before start/);
  flow.start();
  assert.throws(() => flow.start(), /twice/);
  for (const d of '8002') flow.handle({ type: 'digit', digit: d });
  flow.handle({ type: 'played', playId: 'joined#2:p1' });
  assert.equal(flow.result?.outcome, 'collected');
  assert.equal(flow.handle({ type: 'digit', digit: '1' }), []);
});

test.run();
