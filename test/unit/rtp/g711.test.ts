import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PCMU, PCMA, linearToUlaw, ulawToLinear } from '../../../src/rtp/codec/g711.js';

test('G.711 mu-law: known codes (ITU-T G.711 table 2)', () => {
  assert.is(linearToUlaw(0), 0xff);
  assert.is(linearToUlaw(32767), 0x80);
  assert.is(linearToUlaw(-32768), 0x00);
  assert.is(ulawToLinear(0x00), -32124);
  assert.is(ulawToLinear(0x80), 32124);
  assert.is(ulawToLinear(0xff), 0);
});

test('G.711 round trip stays within one quantisation step', () => {
  for (const codec of [PCMU, PCMA]) {
    const enc = codec.createEncoder();
    const dec = codec.createDecoder();
    const pcm = new Int16Array(160);
    for (let i = 0; i < 160; i++) pcm[i] = Math.round(12000 * Math.sin((2 * Math.PI * 443.7 * i) / 8000));
    const bytes = new Uint8Array(160);
    const out = new Int16Array(160);
    assert.is(enc.encode(pcm, bytes), 160);
    assert.is(dec.decode(bytes, out), 160);
    for (let i = 0; i < 160; i++) assert.ok(Math.abs(out[i]! - pcm[i]!) <= Math.max(16, Math.abs(pcm[i]!) / 16), `${codec.name} sample ${i}`);
  }
});

test('a lost frame is concealed by repeating the last pitch period, not silence (G.711 Appendix I)', () => {
  for (const codec of [PCMU, PCMA]) {
    const enc = codec.createEncoder();
    const dec = codec.createDecoder();
    const pcm = new Int16Array(160);
    const bytes = new Uint8Array(160);
    const out = new Int16Array(160);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 160; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 200 * (k * 160 + i)) / 8000));
      enc.encode(pcm, bytes);
      dec.decode(bytes, out);
    }
    const lost = new Int16Array(160);
    assert.is(dec.conceal(lost, 160), 160);
    let energy = 0;
    for (let i = 0; i < 80; i++) energy += lost[i]! * lost[i]!;
    assert.ok(Math.sqrt(energy / 80) > 4000, `${codec.name}: first 10 ms of the loss keep the level`);
  }
});

test.run();
