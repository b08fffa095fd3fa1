import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { payloadRoutes, relayMode } from '../../../src/mixer/relay/payload-routes.js';
import type { PayloadMapping } from '../../../src/mixer/channel/protocol.js';

const a: PayloadMapping[] = [
  { payloadType: 0, codec: 'PCMU' },
  { payloadType: 8, codec: 'PCMA' },
  { payloadType: 96, codec: 'opus' },
];
const b: PayloadMapping[] = [
  { payloadType: 111, codec: 'opus' },
  { payloadType: 0, codec: 'PCMU' },
];

test('payload types are matched between legs by codec name, not by number (RFC 3551 §3: dynamic types mean nothing across sessions)', () => {
  const r = payloadRoutes(a, b);
  assert.equal(r[96], { kind: 'pass', outPt: 111, codec: r[96]!.codec, step: 960, key: (96 << 8) | 111 });
  assert.is(r[96]!.codec.name, 'opus');
  assert.is(r[0]!.kind, 'pass');
  assert.is((r[0] as { outPt: number }).outPt, 0);
});

test('a codec the other leg did not negotiate is transcoded, per packet type', () => {
  const r = payloadRoutes(a, b);
  assert.is(r[8]!.kind, 'transcode');
  assert.is(r[8]!.codec.name, 'PCMA');
});

test('a payload type the leg never negotiated has no route', () => {
  const r = payloadRoutes(a, b);
  assert.is(r[9], null);
  assert.is(r[13], null, 'comfort noise was not negotiated');
  assert.is(payloadRoutes(b, a)[96], null);
});

test('relay mode: pass-through when each leg\'s first codec is one the other negotiated', () => {
  assert.is(relayMode(a, b), 'passthrough');
  assert.is(relayMode([{ payloadType: 8, codec: 'PCMA' }], b), 'transcode');
  assert.is(relayMode([{ payloadType: 0, codec: 'PCMU' }], [{ payloadType: 0, codec: 'PCMU' }]), 'passthrough');
});

test.run();
