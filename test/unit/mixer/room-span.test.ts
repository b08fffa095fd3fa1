import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RoomSpan } from '../../../src/mixer/span/room-span.js';
import { toneSamples } from '../../../src/dsp/tone.js';

function frames(n: number, hz: number[]): Int16Array[] {
  return hz.map((f) => toneSamples(8000, f, n));
}

test('a worker reads what another published for the same tick (one buffer, two views as two threads would have)', () => {
  const span = RoomSpan.create(4, 3, 8000);
  const other = new RoomSpan(span.buffer, 4, 3); // the view another worker builds from the same SharedArrayBuffer
  span.publish(2, 41, 2, Int32Array.from([7, 9]), [5e6, 3e6], frames(160, [440, 620]), 160);
  const ids = new Int32Array(6);
  const scores = new Float64Array(6);
  const out = Array.from({ length: 6 }, () => new Int16Array(320));
  assert.is(other.read(2, 41, ids, scores, out, 1, 160), 2);
  assert.equal(Array.from(ids.subarray(1, 3)), [7, 9]);
  assert.equal(Array.from(scores.subarray(1, 3)), [5e6, 3e6]);
  assert.equal(out[1]!.subarray(0, 160), toneSamples(8000, 440, 160));
});

test('a worker that has not published tick k yet is late for k: nothing is taken (never a stale frame)', () => {
  const span = RoomSpan.create(2, 3, 8000);
  const ids = new Int32Array(3);
  const scores = new Float64Array(3);
  const out = Array.from({ length: 3 }, () => new Int16Array(320));
  assert.is(span.read(1, 0, ids, scores, out, 0, 160), -1, 'nothing published at all');
  span.publish(1, 10, 1, Int32Array.from([3]), [1], frames(160, [500]), 160);
  assert.is(span.read(1, 11, ids, scores, out, 0, 160), -1, 'tick 11 asked, only 10 there');
  assert.is(span.read(1, 12, ids, scores, out, 0, 160), -1, 'same generation, older tick');
});

test('generations alternate: publishing tick k+1 leaves tick k readable', () => {
  const span = RoomSpan.create(2, 3, 8000);
  span.publish(0, 20, 1, Int32Array.from([1]), [1], frames(160, [300]), 160);
  span.publish(0, 21, 1, Int32Array.from([2]), [1], frames(160, [900]), 160);
  const ids = new Int32Array(3);
  const out = Array.from({ length: 3 }, () => new Int16Array(320));
  assert.is(span.read(0, 20, ids, new Float64Array(3), out, 0, 160), 1);
  assert.is(ids[0], 1);
  assert.is(span.read(0, 21, ids, new Float64Array(3), out, 0, 160), 1);
  assert.is(ids[0], 2);
});

test('header: hosts, room rate and owners as the engine sets them', () => {
  const span = RoomSpan.create(3, 3, 8000);
  span.setHost(0, true);
  assert.not.ok(span.spansBeyond(0));
  span.setHost(2, true);
  assert.ok(span.spansBeyond(0));
  assert.ok(span.spansBeyond(2));
  span.setHost(2, false);
  assert.not.ok(span.spansBeyond(0));
  span.setRate(16000);
  assert.is(new RoomSpan(span.buffer, 3, 3).rate, 16000);
  span.addOwners(1);
  span.addOwners(1);
  span.addOwners(-1);
  assert.is(span.ownersPresent, 1);
});

test.run();
