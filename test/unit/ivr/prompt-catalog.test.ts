import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/log/logger.js';
import { PromptCatalog } from '../../../src/ivr/prompt-catalog.js';
import { wavBytes } from './wav-fixtures.js';

/** A shipped tree and an operator tree in a temp dir; `files` are '<dir>/<lang>/<id>' -> bytes. */
function trees(files: Record<string, Buffer>) {
  const root = mkdtempSync(join(tmpdir(), 'softswitch-prompts-'));
  for (const [name, bytes] of Object.entries(files)) {
    const path = join(root, `${name}.wav`);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, bytes);
  }
  return { root, base: join(root, 'shipped'), override: join(root, 'operator') };
}

/** A logger whose JSON lines land in `lines`. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}

const wav = wavBytes();

test('the operator\'s recording wins over the shipped prompt of the same language', () => {
  const t = trees({ 'shipped/it/conf-full': wav, 'operator/it/conf-full': wav, 'shipped/it/conf-locked': wav });
  const catalog = new PromptCatalog({ baseDir: t.base, overrideDir: t.override });
  assert.is(catalog.file('conf-full', 'it'), join(t.override, 'it', 'conf-full.wav'));
  assert.is(catalog.file('conf-locked', 'it'), join(t.base, 'it', 'conf-locked.wav'), 'not recorded: the shipped one');
});

test('a phrase missing in a language falls back to English (the operator\'s first), logged once per language and id', () => {
  const t = trees({ 'shipped/en/conf-full': wav, 'operator/en/conf-full': wav, 'shipped/en/conf-locked': wav });
  const { log, lines } = capture();
  const catalog = new PromptCatalog({ baseDir: t.base, overrideDir: t.override, log });
  assert.is(catalog.file('conf-full', 'ru'), join(t.override, 'en', 'conf-full.wav'));
  catalog.file('conf-full', 'ru');
  catalog.file('conf-full', 'ru');
  assert.is(catalog.file('conf-locked', 'ru'), join(t.base, 'en', 'conf-locked.wav'));
  catalog.file('conf-full', 'it');
  const fallbacks = lines.filter((l) => l.event === 'ivr.prompt.fallback');
  assert.equal(fallbacks.map((l) => `${l.language}:${l.id}`), ['ru:conf-full', 'ru:conf-locked', 'it:conf-full']);
  assert.is(catalog.file('conf-full', 'en'), join(t.override, 'en', 'conf-full.wav'));
  assert.is(lines.filter((l) => l.event === 'ivr.prompt.fallback').length, 3, 'English itself never falls back');
});

test('an operator file the media engine cannot play (stereo, 44.1 kHz, not a WAV) is skipped with one warning', () => {
  const t = trees({
    'shipped/en/conf-full': wav,
    'shipped/en/conf-locked': wav,
    'shipped/en/conf-muted': wav,
    'operator/en/conf-full': wavBytes({ channels: 2 }),
    'operator/en/conf-locked': wavBytes({ sampleRate: 44100 }),
    'operator/en/conf-muted': Buffer.from('ID3 this is an mp3'),
  });
  const { log, lines } = capture();
  const catalog = new PromptCatalog({ baseDir: t.base, overrideDir: t.override, log });
  for (let i = 0; i < 3; i++) {
    for (const id of ['conf-full', 'conf-locked', 'conf-muted']) assert.is(catalog.file(id, 'en'), join(t.base, 'en', `${id}.wav`));
  }
  const warnings = lines.filter((l) => l.event === 'ivr.prompt.unplayable');
  assert.equal(warnings.map((w) => String(w.problem)), ['2 channels, prompts must be mono', '44100 Hz, prompts must be 8000 or 16000 Hz', 'not a WAV file (no RIFF/WAVE header)']);
  assert.is(warnings[0]!.level, 40, 'warn');
});

test('a recording dropped in (or fixed) while the switch runs counts from the next lookup', () => {
  const t = trees({ 'shipped/en/conf-full': wav, 'operator/en/conf-locked': wavBytes({ channels: 2 }), 'shipped/en/conf-locked': wav });
  const catalog = new PromptCatalog({ baseDir: t.base, overrideDir: t.override });
  assert.is(catalog.file('conf-full', 'en'), join(t.base, 'en', 'conf-full.wav'));
  assert.is(catalog.file('conf-locked', 'en'), join(t.base, 'en', 'conf-locked.wav'));
  mkdirSync(join(t.override, 'en'), { recursive: true });
  writeFileSync(join(t.override, 'en', 'conf-full.wav'), wav);
  writeFileSync(join(t.override, 'en', 'conf-locked.wav'), wavBytes({ samples: 3200 })); // now mono, and a new size
  assert.is(catalog.file('conf-full', 'en'), join(t.override, 'en', 'conf-full.wav'));
  assert.is(catalog.file('conf-locked', 'en'), join(t.override, 'en', 'conf-locked.wav'));
});

test('has() answers for the language itself, without the English fallback', () => {
  const t = trees({ 'shipped/en/conf-full': wav, 'operator/ru/conf-full': wav });
  const catalog = new PromptCatalog({ baseDir: t.base, overrideDir: t.override });
  assert.ok(catalog.has('conf-full', 'en'));
  assert.ok(catalog.has('conf-full', 'ru'), 'the operator recorded it');
  assert.not.ok(catalog.has('conf-full', 'it'));
  assert.not.ok(catalog.has('conf-full', 'de'));
  assert.not.ok(catalog.has('../../etc/passwd', 'en'));
});

test('no file in the language nor in English is an error naming the directories', () => {
  const t = trees({ 'shipped/it/conf-full': wav });
  const catalog = new PromptCatalog({ baseDir: t.base, overrideDir: t.override });
  assert.throws(() => catalog.file('conf-locked', 'it'), (e: Error) => e.message.includes('conf-locked') && e.message.includes(t.base) && e.message.includes(t.override));
});

test('ids that could leave the prompt directory, and unknown languages, are refused', () => {
  const catalog = new PromptCatalog({ baseDir: '/nonexistent' });
  for (const id of ['../conf-full', 'conf/full', 'Conf-Full', '', 'conf-full.wav', '-x']) assert.throws(() => catalog.file(id, 'en'), RangeError, id);
  assert.throws(() => catalog.file('conf-full', 'de' as 'en'), /en, it or ru/);
});

test('ids(language) lists every phrase and that language\'s number words; ids() is the union', () => {
  const catalog = new PromptCatalog();
  const en = catalog.ids('en');
  const it = catalog.ids('it');
  for (const id of ['conf-enter-pin', 'conf-wrong-pin', 'ivr-goodbye', 'noun-participant-few', 'number-0', 'number-19', 'number-90']) {
    assert.ok(en.includes(id) && it.includes(id) && catalog.ids('ru').includes(id), id);
  }
  assert.ok(en.includes('number-hundred') && !it.includes('number-hundred'));
  assert.ok(it.includes('number-21') && !en.includes('number-21') && !catalog.ids('ru').includes('number-21'));
  assert.ok(catalog.ids('ru').includes('number-500') && !en.includes('number-500'));
  const all = catalog.ids();
  assert.equal(new Set(all).size, all.length);
  for (const id of [...en, ...it, ...catalog.ids('ru')]) assert.ok(all.includes(id), id);
  assert.is(catalog.text('conf-enter-pin', 'it'), 'Inserisci il PIN della conferenza, seguito da cancelletto.');
  assert.is(catalog.text('number-21', 'en'), undefined);
});

test('the catalog composes counts in the language asked for', () => {
  const catalog = new PromptCatalog();
  assert.equal(catalog.sayNumber(28, 'it'), ['number-28']);
  assert.equal(catalog.sayNumber(28, 'ru'), ['number-20', 'number-8']);
  assert.equal(catalog.sayParticipantCount(5, 'ru'), ['conf-there-are', 'number-5', 'noun-participant-many']);
  assert.equal(catalog.sayDigits('80'), ['number-8', 'number-0']);
});

test.run();
