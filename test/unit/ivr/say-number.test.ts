import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LANGUAGES, type Language } from '../../../src/ivr/language.js';
import { NUMBER_GRAMMARS } from '../../../src/ivr/number-words.js';
import { pluralCategory } from '../../../src/ivr/plural-rules.js';
import { sayDigits, sayNumber, sayParticipantCount } from '../../../src/ivr/say-number.js';

const textOf = (language: Language) => new Map(NUMBER_GRAMMARS[language].words.map((w) => [w.id, w.text]));

/** What the caller hears, as text: the words' texts joined with `sep`. */
function heard(n: number, language: Language, sep: string): string {
  const texts = textOf(language);
  return sayNumber(n, language).map((id) => texts.get(id)).join(sep);
}

test('English (en-us): hundreds as digit + "hundred", tens and units as separate words, no "and"', () => {
  assert.equal(sayNumber(0, 'en'), ['number-0']);
  assert.equal(sayNumber(21, 'en'), ['number-20', 'number-1']);
  assert.equal(sayNumber(100, 'en'), ['number-1', 'number-hundred']);
  const cases: Array<[number, string]> = [[7, 'seven'], [13, 'thirteen'], [40, 'forty'], [115, 'one hundred fifteen'], [999, 'nine hundred ninety nine'], [305, 'three hundred five']];
  for (const [n, words] of cases) assert.is(heard(n, 'en', ' '), words, String(n));
});

test('Italian: x1 and x8 compounds are whole words with the ten\'s vowel elided (ventuno, trentotto), hundreds whole', () => {
  assert.equal(sayNumber(21, 'it'), ['number-21']);
  assert.equal(sayNumber(22, 'it'), ['number-20', 'number-2']);
  assert.equal(sayNumber(200, 'it'), ['number-200']);
  // Italian writes a number as one word: the concatenated texts spell it.
  const cases: Array<[number, string]> = [
    [1, 'uno'], [17, 'diciassette'], [21, 'ventuno'], [28, 'ventotto'], [23, 'ventitre'], [38, 'trentotto'], [41, 'quarantuno'],
    [98, 'novantotto'], [100, 'cento'], [101, 'centouno'], [121, 'centoventuno'], [300, 'trecento'], [555, 'cinquecentocinquantacinque'], [999, 'novecentonovantanove'],
  ];
  for (const [n, word] of cases) assert.is(heard(n, 'it', ''), word, String(n));
});

test('Russian: every part its own word, irregular hundreds (двести, пятьсот), masculine один/два', () => {
  const cases: Array<[number, string]> = [
    [0, 'ноль'], [1, 'один'], [2, 'два'], [11, 'одиннадцать'], [21, 'двадцать один'], [40, 'сорок'], [100, 'сто'], [112, 'сто двенадцать'],
    [200, 'двести'], [222, 'двести двадцать два'], [500, 'пятьсот'], [999, 'девятьсот девяносто девять'],
  ];
  for (const [n, words] of cases) assert.is(heard(n, 'ru', ' '), words, String(n));
});

test('every number 0..999 in every language uses only words that language ships, and no word twice', () => {
  for (const language of LANGUAGES) {
    const shipped = textOf(language);
    const used = new Set<string>();
    for (let n = 0; n <= 999; n++) {
      const ids = sayNumber(n, language);
      assert.ok(ids.length >= 1 && ids.length <= 4, `${language} ${n}: ${ids.join(' ')}`);
      for (const id of ids) {
        assert.ok(shipped.has(id), `${language} ${n}: ${id} is not shipped`);
        used.add(id);
      }
      if (n > 0) assert.not.ok(ids.includes('number-0'), `${language} ${n} says zero`);
    }
    assert.equal([...shipped.keys()].filter((id) => !used.has(id)), [], `${language} ships words no number uses`);
  }
});

test('numbers from 1000 up are read digit by digit; negative or fractional numbers are refused', () => {
  assert.equal(sayNumber(1000, 'it'), ['number-1', 'number-0', 'number-0', 'number-0']);
  assert.throws(() => sayNumber(-1, 'en'), RangeError);
  assert.throws(() => sayNumber(2.5, 'ru'), RangeError);
});

test('sayDigits reads a conference number digit by digit; anything but 0-9 is refused', () => {
  assert.equal(sayDigits('8001'), ['number-8', 'number-0', 'number-0', 'number-1']);
  assert.equal(sayDigits(''), []);
  assert.throws(() => sayDigits('80#1'), RangeError);
});

test('plural categories follow CLDR (Intl.PluralRules agrees) for 0..1000 in en, it and ru', () => {
  for (const language of LANGUAGES) {
    const intl = new Intl.PluralRules(language);
    for (let n = 0; n <= 1000; n++) assert.is(pluralCategory(n, language), intl.select(n), `${language} ${n}`);
  }
});

test('Russian noun forms: 1/21/101 участник, 2-4/22/104 участника, 0/5-20/111-114 участников', () => {
  const noun = (n: number) => sayParticipantCount(n, 'ru').at(-1);
  for (const n of [21, 31, 101, 121, 991]) assert.is(noun(n), 'noun-participant-one', String(n));
  for (const n of [2, 3, 4, 22, 34, 104, 983]) assert.is(noun(n), 'noun-participant-few', String(n));
  for (const n of [0, 5, 11, 12, 13, 14, 19, 20, 100, 111, 112, 114, 211, 999]) assert.is(noun(n), 'noun-participant-many', String(n));
});

test('participant count sentences: one participant is its own phrase; otherwise "there are" + number + noun', () => {
  for (const language of LANGUAGES) assert.equal(sayParticipantCount(1, language), ['conf-one-participant']);
  assert.equal(sayParticipantCount(21, 'en'), ['conf-there-are', 'number-20', 'number-1', 'noun-participant-many']);
  assert.equal(sayParticipantCount(21, 'it'), ['conf-there-are', 'number-21', 'noun-participant-many']);
  assert.equal(sayParticipantCount(21, 'ru'), ['conf-there-are', 'number-20', 'number-1', 'noun-participant-one']);
  assert.equal(sayParticipantCount(3, 'ru'), ['conf-there-are', 'number-3', 'noun-participant-few']);
});

test.run();
