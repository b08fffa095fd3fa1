import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { menu, type MenuSpec } from '../../../src/ivr/menu.js';
import { PlayPrompts } from '../../../src/ivr/play-prompts.js';
import { IvrHost } from './ivr-host.js';

function menuSpec(over: Partial<MenuSpec> = {}): MenuSpec {
  return {
    prompts: ['menu-main'],
    keys: '12#',
    timeoutMs: 4_000,
    maxAttempts: 2,
    invalidPrompts: ['ivr-invalid-choice'],
    finalPrompts: ['ivr-goodbye'],
    onFailure: { type: 'hangup' },
    ...over,
  };
}

test('menu: one key chooses, with no terminator and no inter-digit wait', () => {
  const host = new IvrHost(menu(menuSpec()));
  host.start();
  host.played();
  assert.equal([...host.timers], [['first-digit', 4_000]]);
  host.keys('2');
  assert.equal(host.result, { outcome: 'collected', digits: '2', attempts: 1 });
  host.assertIdle();
});

test('menu: # can be a menu key (it is not a terminator in a menu)', () => {
  const host = new IvrHost(menu(menuSpec()));
  host.start();
  host.keys('#'); // barge-in
  assert.equal(host.result, { outcome: 'collected', digits: '#', attempts: 1 });
});

test('menu: a key outside the menu plays the invalid-choice prompt, then the menu again', () => {
  const host = new IvrHost(menu(menuSpec()));
  host.start();
  host.played();
  host.keys('7');
  assert.equal(host.prompts(), ['ivr-invalid-choice', 'menu-main']);
  host.keys('1');
  assert.equal(host.result, { outcome: 'collected', digits: '1', attempts: 2 });
});

test('menu: no choice within the attempts ends in the failure action after the final prompt', () => {
  const host = new IvrHost(menu(menuSpec()));
  host.start();
  host.played();
  host.fire('first-digit');
  host.played();
  host.fire('first-digit');
  assert.equal(host.prompts(), ['ivr-goodbye']);
  host.played();
  assert.equal(host.result, { outcome: 'hangup', reason: 'max-attempts' });
});

test('menu: no keys or a non-DTMF key in the spec is refused', () => {
  assert.throws(() => menu(menuSpec({ keys: '' })), /keys/);
  assert.throws(() => menu(menuSpec({ keys: '1x' })), /not a DTMF key/);
});

test('play prompts: done with no digits once the playback has ended; keys are ignored without barge-in', () => {
  const host = new IvrHost(new PlayPrompts({ prompts: ['conf-joined', 'conf-one-participant'] }));
  assert.equal(host.start(), [{ type: 'play', playId: 'p1', prompts: [{ id: 'conf-joined' }, { id: 'conf-one-participant' }], bargeIn: false }]);
  assert.equal(host.keys('5'), []);
  host.played();
  assert.equal(host.result, { outcome: 'collected', digits: '', attempts: 1 });
  host.assertIdle();
});

test('play prompts with barge-in: a key stops the playback and ends the step with that key', () => {
  const host = new IvrHost(new PlayPrompts({ prompts: ['conf-locked'], bargeIn: true }));
  host.start();
  assert.equal(host.keys('9'), [
    { type: 'stop-playback', playId: 'p1' },
    { type: 'done', result: { outcome: 'collected', digits: '9', attempts: 1 } },
  ]);
  host.assertIdle();
});

test('play prompts: nothing to play is done at start; a stale played id is ignored', () => {
  const empty = new PlayPrompts({ prompts: [] });
  assert.equal(empty.start(), [{ type: 'done', result: { outcome: 'collected', digits: '', attempts: 1 } }]);
  const step = new PlayPrompts({ prompts: ['ivr-goodbye'] });
  assert.throws(() => step.handle({ type: 'played', playId: 'p1' }), /before start/);
  step.start();
  assert.equal(step.handle({ type: 'played', playId: 'p2' }), []);
  assert.is(step.result, undefined);
});

test.run();
