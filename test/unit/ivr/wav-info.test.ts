import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readWavInfo, unplayableReason } from '../../../src/ivr/wav-info.js';
import { wavBytes } from './wav-fixtures.js';

test('reads format, channels, rate, bits, data size and duration from a 16 kHz 16-bit mono WAV', () => {
  const info = readWavInfo(wavBytes({ samples: 8000 }));
  assert.equal(info, { format: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16, dataOffset: 44, dataBytes: 16000, durationMs: 500 });
  assert.is(unplayableReason(info), undefined);
});

test('walks past other chunks (LIST before fmt or before data, odd size padded to a word)', () => {
  for (const extraChunk of ['before-fmt', 'before-data'] as const) {
    const bytes = wavBytes({ samples: 160, extraChunk });
    const info = readWavInfo(bytes);
    assert.is(info.dataBytes, 320, extraChunk);
    assert.is(info.dataOffset + info.dataBytes, bytes.length, extraChunk);
  }
});

test('what the media engine cannot play is named: stereo, 44.1 kHz, 8-bit PCM, 24-bit, empty', () => {
  assert.match(unplayableReason(readWavInfo(wavBytes({ channels: 2 })))!, /2 channels/);
  assert.match(unplayableReason(readWavInfo(wavBytes({ sampleRate: 44100 })))!, /44100 Hz/);
  assert.match(unplayableReason(readWavInfo(wavBytes({ bitsPerSample: 8 })))!, /format 1 with 8 bits/);
  assert.match(unplayableReason(readWavInfo(wavBytes({ bitsPerSample: 24 })))!, /24 bits/);
  assert.match(unplayableReason(readWavInfo(wavBytes({ samples: 0 })))!, /no audio/);
});

test('G.711 WAVs (mu-law 7, A-law 6, 8-bit) at 8 kHz are playable', () => {
  for (const format of [6, 7]) assert.is(unplayableReason(readWavInfo(wavBytes({ format, bitsPerSample: 8, sampleRate: 8000 }))), undefined);
});

test('not a WAV, a data chunk before fmt, and no data chunk are errors', () => {
  assert.throws(() => readWavInfo(Buffer.from('ID3\x04 an mp3 file')), /not a WAV/);
  const good = wavBytes();
  const swapped = Buffer.concat([good.subarray(0, 12), good.subarray(36, 44), good.subarray(12, 36)]);
  assert.throws(() => readWavInfo(swapped), /before its fmt/);
  assert.throws(() => readWavInfo(good.subarray(0, 36)), /without a data chunk/);
});

test.run();
