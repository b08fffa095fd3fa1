import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { codecByName, codecForPayloadType, allCodecs } from '../../../src/rtp/codec/registry.js';

test('static payload types 0 and 8 map to PCMU and PCMA (RFC 3551 §6 table 4)', () => {
  assert.is(codecForPayloadType(0)?.name, 'PCMU');
  assert.is(codecForPayloadType(8)?.name, 'PCMA');
});

test('a dynamic payload type without an rtpmap is unknown (RFC 3551 §3)', () => {
  assert.is(codecForPayloadType(96), undefined);
  assert.is(codecForPayloadType(111), undefined);
});

test('rtpmap encoding names compare case-insensitively (RFC 4855 §3)', () => {
  assert.is(codecForPayloadType(0, { name: 'pcmu', clockRate: 8000 })?.name, 'PCMU');
  assert.is(codecForPayloadType(101, { name: 'Pcma', clockRate: 8000 })?.name, 'PCMA');
});

test('an rtpmap with the wrong clock rate matches nothing (RFC 4566 §6)', () => {
  assert.is(codecForPayloadType(0, { name: 'PCMU', clockRate: 16000 }), undefined);
});

test('an unknown encoding name or an out-of-range payload type matches nothing', () => {
  assert.is(codecForPayloadType(97, { name: 'telephone-event', clockRate: 8000 }), undefined);
  assert.is(codecForPayloadType(128), undefined);
  assert.is(codecForPayloadType(-1), undefined);
});

test('codecByName returns the same shared codec object each time', () => {
  assert.is(codecByName('PCMU'), codecByName('PCMU'));
  assert.is(codecByName('PCMA').staticPayloadType, 8);
  assert.ok(allCodecs().includes(codecByName('PCMU')));
});

test.run();
