import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MediaTimeout } from '../../../src/mixer/endpoint/media-timeout.js';

/** Times the timeout fires when polled once a second from `from` to `to` (ms). */
function firings(t: MediaTimeout, from: number, to: number): number[] {
  const at: number[] = [];
  for (let now = from; now <= to; now += 1000) if (t.poll(now) !== undefined) at.push(now);
  return at;
}

test('fires once the media has stopped for the configured time, with the silence so far', () => {
  const t = new MediaTimeout(3000, 0);
  t.media(1000);
  assert.is(t.poll(3500), undefined);
  assert.is(t.poll(4000), 3000);
});

test('fires again after each further period of silence, so an ignored timeout (call still ringing) is not the last', () => {
  const t = new MediaTimeout(3000, 0);
  assert.equal(firings(t, 1000, 10000), [3000, 6000, 9000]);
});

test('a packet restarts the silence clock', () => {
  const t = new MediaTimeout(3000, 0);
  assert.is(t.poll(3000), 3000);
  t.media(3500);
  assert.is(t.poll(6000), undefined);
  assert.is(t.poll(6500), 3000);
});

test('on hold nothing fires however long the silence (RFC 3264 §8.4 hold: silence is expected)', () => {
  const t = new MediaTimeout(3000, 0);
  t.setHold(true, 1000);
  assert.equal(firings(t, 1000, 60000), []);
  assert.ok(t.onHold);
});

test('a call that resumes and then never sends media times out one period after the resume', () => {
  const t = new MediaTimeout(3000, 0);
  assert.is(t.poll(3000), 3000); // fired (and ignored by call control) before the hold
  t.setHold(true, 4000);
  assert.equal(firings(t, 5000, 30000), []);
  t.setHold(false, 30500);
  assert.is(t.poll(33000), undefined, 'the silence counts from the resume, not from the last packet');
  assert.is(t.poll(33500), 3000);
});

test('resume after media during hold: the clock starts at the later of the two', () => {
  const t = new MediaTimeout(3000, 0);
  t.setHold(true, 1000);
  t.media(9000);
  t.setHold(false, 8000);
  assert.is(t.poll(11500), undefined);
  assert.is(t.poll(12000), 3000);
});

test('a timeout of 0 never fires', () => {
  const t = new MediaTimeout(0, 0);
  assert.equal(firings(t, 0, 100000), []);
});

test.run();
