import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seqDistance, unwrapSequence } from '../../../src/rtp/sequence.js';
import { InterarrivalJitter } from '../../../src/rtp/interarrival-jitter.js';

test('sequence distance is taken modulo 2^16 (RFC 3550 §5.1: wraps around)', () => {
  assert.is(seqDistance(5, 3), 2);
  assert.is(seqDistance(3, 5), -2);
  assert.is(seqDistance(0, 65535), 1);
  assert.is(seqDistance(65535, 0), -1);
  assert.is(seqDistance(32767, 0), 32767);
  assert.is(seqDistance(32768, 0), -32768);
});

test('extended sequence numbers count cycles across the wrap (RFC 3550 A.1)', () => {
  assert.is(unwrapSequence(2, 65535), 65538);
  assert.is(unwrapSequence(65534, 65538), 65534);
  assert.is(unwrapSequence(10, 3 * 65536 + 5), 3 * 65536 + 10);
});

test('interarrival jitter is 0 for constant transit time and follows |D| with gain 1/16 (RFC 3550 §6.4.1)', () => {
  const j = new InterarrivalJitter(8000);
  for (let i = 0; i < 100; i++) j.update(1000 + i * 20, 160 * i);
  assert.is(j.jitter, 0);
  // transit alternates by 10 ms = 80 units: |D| = 80 every packet, J -> 80
  const k = new InterarrivalJitter(8000);
  for (let i = 0; i < 400; i++) k.update(i * 20 + (i % 2) * 10, 160 * i);
  assert.is(k.jitter, 80);
  assert.ok(Math.abs(k.jitterMs - 10) < 1e-6);
  // first step from zero: J1 = |D| / 16
  const m = new InterarrivalJitter(8000);
  m.update(0, 0);
  m.update(20 + 2, 160);
  assert.ok(Math.abs(m.jitterMs - 2 / 16) < 1e-9);
});

test('interarrival jitter handles 32-bit timestamp wrap and ignores an unexplained timestamp jump', () => {
  const j = new InterarrivalJitter(8000);
  for (let i = 0; i < 50; i++) j.update(i * 20, (4294967296 - 160 * 10 + 160 * i) % 4294967296);
  assert.is(j.jitter, 0, 'wrap of the 32-bit timestamp is not a jump');
  j.update(50 * 20, 123456789); // sender reset its timestamp base
  j.update(51 * 20, 123456789 + 160);
  assert.is(j.jitter, 0);
});

test.run();
