import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newRtpPacketView, unmarshalRtp, marshalRtpHeader } from '../../../src/rtp/packet.js';
import {
  HeaderExtensionCursor,
  findHeaderExtension,
  readAudioLevel,
  audioLevelOf,
  voiceActivityOf,
  writeAudioLevelExtension,
} from '../../../src/rtp/header-extension.js';

/** An RTP packet with X set, the given extension profile and element bytes (padded to words), then a payload. */
function packet(profile: number, elements: number[], payload = [1, 2, 3]): Uint8Array {
  const padded = [...elements];
  while (padded.length % 4) padded.push(0);
  const words = padded.length / 4;
  return new Uint8Array([
    0x90, 0x00, 0x00, 0x01, 0, 0, 0, 160, 0xca, 0xfe, 0xba, 0xbe,
    profile >> 8, profile & 0xff, words >> 8, words & 0xff,
    ...padded,
    ...payload,
  ]);
}

function elements(buf: Uint8Array): Array<[number, number[]]> {
  const v = newRtpPacketView();
  assert.ok(unmarshalRtp(buf, buf.length, v));
  const c = new HeaderExtensionCursor();
  const out: Array<[number, number[]]> = [];
  if (!c.start(buf, v)) return out;
  while (c.next()) out.push([c.id, Array.from(buf.subarray(c.offset, c.offset + c.length))]);
  return out;
}

test('one-byte form: ID and L+1 data bytes per element, padding bytes skipped (RFC 8285 §4.2)', () => {
  // id 1 with 1 byte, two padding bytes, id 2 with 4 bytes, id 3 with 2 bytes
  const buf = packet(0xbede, [0x10, 0xaa, 0x00, 0x00, 0x23, 1, 2, 3, 4, 0x31, 9, 8]);
  assert.equal(elements(buf), [
    [1, [0xaa]],
    [2, [1, 2, 3, 4]],
    [3, [9, 8]],
  ]);
});

test('one-byte form: the reserved ID 15 ends processing (RFC 8285 §4.2)', () => {
  const buf = packet(0xbede, [0x10, 0xaa, 0xf0, 0x00, 0x20, 0x55]);
  assert.equal(elements(buf), [[1, [0xaa]]]);
});

test('two-byte form: 8-bit ID, 8-bit length, zero-length elements, app bits ignored (RFC 8285 §4.3)', () => {
  const buf = packet(0x1005, [0x01, 0x00, 0x00, 0xff, 0x03, 7, 8, 9]);
  assert.equal(elements(buf), [
    [1, []],
    [255, [7, 8, 9]],
  ]);
});

test('an element running past the end of the block stops the walk', () => {
  const buf = packet(0xbede, [0x10, 0xaa, 0x2f, 1, 2]); // id 2 claims 16 bytes in a 1-word block
  assert.equal(elements(buf), [[1, [0xaa]]]);
});

test('an unknown profile yields no elements', () => {
  const buf = packet(0x1234, [0x10, 0xaa]);
  assert.equal(elements(buf), []);
});

test('RFC 6464: readAudioLevel returns V and level, -1 when the element is absent', () => {
  const loudVoice = packet(0xbede, [0x30, 0x80 | 20]);
  const v = newRtpPacketView();
  unmarshalRtp(loudVoice, loudVoice.length, v);
  const x = readAudioLevel(loudVoice, v, 3);
  assert.is(audioLevelOf(x), 20);
  assert.is(voiceActivityOf(x), true);
  assert.is(readAudioLevel(loudVoice, v, 4), -1);
  const quiet = packet(0x1000, [0x05, 0x01, 127]); // two-byte form, id 5
  unmarshalRtp(quiet, quiet.length, v);
  assert.is(readAudioLevel(quiet, v, 5), 127);
  const none = new Uint8Array([0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xff]);
  unmarshalRtp(none, none.length, v);
  assert.is(readAudioLevel(none, v, 3), -1);
});

test('RFC 6464: writeAudioLevelExtension produces a packet that parses back, payload after it', () => {
  const buf = new Uint8Array(12 + 8 + 4);
  marshalRtpHeader({ marker: false, payloadType: 0, sequence: 7, timestamp: 160, ssrc: 99 }, buf);
  const ext = writeAudioLevelExtension(buf, 0, 1, 42, false);
  buf.set([9, 9, 9, 9], 12 + ext);
  const v = newRtpPacketView();
  assert.ok(unmarshalRtp(buf, buf.length, v));
  assert.is(v.payloadOffset, 20);
  assert.is(v.payloadLength, 4);
  const x = readAudioLevel(buf, v, 1);
  assert.is(audioLevelOf(x), 42);
  assert.is(voiceActivityOf(x), false);
  assert.throws(() => writeAudioLevelExtension(buf, 0, 15, 0, true), RangeError);
});

test('findHeaderExtension leaves offset and length of the element in the cursor', () => {
  const buf = packet(0xbede, [0x10, 0xaa, 0x22, 5, 6, 7]);
  const v = newRtpPacketView();
  unmarshalRtp(buf, buf.length, v);
  const c = new HeaderExtensionCursor();
  assert.ok(findHeaderExtension(buf, v, 2, c));
  assert.equal(Array.from(buf.subarray(c.offset, c.offset + c.length)), [5, 6, 7]);
  assert.not.ok(findHeaderExtension(buf, v, 9, c));
});

test.run();
