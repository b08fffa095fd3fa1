import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../../../src/ivr/language.js';
import { PromptCatalog, SHIPPED_PROMPTS_DIR, shippedPrompts } from '../../../src/ivr/prompt-catalog.js';
import { PHRASES } from '../../../src/ivr/prompt-phrases.js';
import { NUMBER_GRAMMARS } from '../../../src/ivr/number-words.js';
import { readWavInfo, unplayableReason } from '../../../src/ivr/wav-info.js';
import { parsePromptBytes } from '../../../src/mixer/play/prompt-file.js';
import { levels } from './wav-fixtures.js';

// Compiled to dist/test/unit/ivr/: the repository root is four levels up.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** Size budget: one prompt at most ~4 s of 16 kHz 16-bit audio, all of them together under 6 MiB. */
const MAX_FILE_BYTES = 128 * 1024;
const MAX_TOTAL_BYTES = 6 * 1024 * 1024;

test('the shipped prompts directory is media/prompts at the repository root', () => {
  assert.is(SHIPPED_PROMPTS_DIR, join(ROOT, 'media', 'prompts'));
});

test('every phrase exists in all three languages, and every number word in the languages whose grammar uses it', () => {
  const catalog = new PromptCatalog();
  for (const language of LANGUAGES) {
    for (const p of PHRASES) assert.ok(catalog.has(p.id, language), `${language}/${p.id}.wav`);
    for (const id of catalog.ids(language)) assert.ok(existsSync(join(SHIPPED_PROMPTS_DIR, language, `${id}.wav`)), `${language}/${id}.wav`);
  }
});

test('no stray files: each language directory holds exactly the prompts its catalog lists', () => {
  for (const language of LANGUAGES) {
    const onDisk = readdirSync(join(SHIPPED_PROMPTS_DIR, language)).sort();
    const listed = new PromptCatalog().ids(language).map((id) => `${id}.wav`).sort();
    assert.equal(onDisk, listed, language);
  }
});

test('each prompt is a 16 kHz mono 16-bit PCM WAV the media engine plays, trimmed, normalised to about -3 dBFS, not silent', () => {
  for (const language of LANGUAGES) {
    for (const { id } of shippedPrompts(language)) {
      const name = `${language}/${id}.wav`;
      const bytes = readFileSync(join(SHIPPED_PROMPTS_DIR, language, `${id}.wav`));
      const info = readWavInfo(bytes);
      assert.equal([info.format, info.channels, info.sampleRate, info.bitsPerSample], [1, 1, 16000, 16], name);
      assert.is(unplayableReason(info), undefined, name);
      const clip = parsePromptBytes(bytes, name); // what the media engine's prompt player decodes
      assert.equal([clip.sampleRate, clip.pcm.length], [16000, info.dataBytes / 2], name);
      assert.is(info.dataOffset + info.dataBytes, bytes.length, `${name}: data chunk runs to the end of the file`);
      assert.ok(info.durationMs >= 150 && info.durationMs <= 4000, `${name}: ${info.durationMs.toFixed(0)} ms`);
      const l = levels(bytes, info);
      assert.ok(l.peakDbfs > -3.5 && l.peakDbfs < -2.5, `${name}: peak ${l.peakDbfs.toFixed(2)} dBFS`);
      assert.ok(l.rmsDbfs > -30, `${name}: speech level ${l.rmsDbfs.toFixed(1)} dBFS`);
      assert.ok(l.headDbfs > -45, `${name}: the first 60 ms are silence (${l.headDbfs.toFixed(1)} dBFS)`);
      assert.ok(l.tailDbfs > -45, `${name}: the last 60 ms are silence (${l.tailDbfs.toFixed(1)} dBFS)`);
    }
  }
});

test(`size budget: each prompt under ${MAX_FILE_BYTES / 1024} KiB, all of them under ${MAX_TOTAL_BYTES / 1024 / 1024} MiB`, () => {
  let total = 0;
  for (const language of LANGUAGES) {
    for (const { id } of shippedPrompts(language)) {
      const size = statSync(join(SHIPPED_PROMPTS_DIR, language, `${id}.wav`)).size;
      assert.ok(size <= MAX_FILE_BYTES, `${language}/${id}.wav: ${size} bytes`);
      total += size;
    }
  }
  assert.ok(total <= MAX_TOTAL_BYTES, `${total} bytes`);
});

test('the audio was generated from the current texts (manifest.json): a changed text needs tools/prompts/generate.sh', () => {
  const manifest = JSON.parse(readFileSync(join(SHIPPED_PROMPTS_DIR, 'manifest.json'), 'utf8')) as { prompts: Record<string, Record<string, string>> };
  for (const language of LANGUAGES) {
    const expected = Object.fromEntries(shippedPrompts(language).map((p) => [p.id, p.text]));
    assert.equal(manifest.prompts[language], expected, language);
  }
});

test('src/ivr/README.md lists every phrase and every number word with its texts', () => {
  const readme = readFileSync(join(ROOT, 'src', 'ivr', 'README.md'), 'utf8');
  for (const p of PHRASES) {
    const row = `| \`${p.id}\` | ${p.texts.en} | ${p.texts.it} | ${p.texts.ru} |`;
    assert.ok(readme.includes(row), `README row missing or stale: ${row}`);
  }
  const words = LANGUAGES.map((l) => new Map(NUMBER_GRAMMARS[l].words.map((w) => [w.id, w.text])));
  for (const id of new Set(words.flatMap((m) => [...m.keys()]))) {
    const row = `| \`${id}\` | ${words.map((m) => m.get(id) ?? '-').join(' | ')} |`;
    assert.ok(readme.includes(row), `README row missing or stale: ${row}`);
  }
});

test.run();
