/**
 * Number grammars: the number words each language ships (ids `number-<value>`, plus English
 * `number-hundred`) and how it composes 0..999 from them. Each language ships only the words its
 * grammar uses, which keeps the audio small (16 kHz WAV costs 32 kB a second).
 *
 *   en (en-us, no "and"):  [h, hundred] + rest         rest: 0-19 | ten | ten, digit
 *                          121 = one|hundred|twenty|one
 *   it:                    [h00] + rest                rest: 0-19 | ten | ten-digit compound
 *     Italian writes a number as one word and fuses tens and digits, dropping the ten's final vowel
 *     before "uno" and "otto" (ventuno, ventotto; but ventidue, ventitré). Concatenating venti|uno
 *     would be wrong, so the sixteen x1/x8 compounds are whole words; the others concatenate as
 *     spoken (venti|due). Hundreds are whole words (duecento): 121 = cento|ventuno.
 *     Known imperfection: "cento" also loses its vowel before "ottanta" (centottanta); the prompts
 *     say cento|ottanta.
 *   ru:                    [h00] + rest                rest: 0-19 | ten | ten, digit
 *     Every part is its own word (сто двадцать один); hundreds are irregular whole words (двести,
 *     триста, пятьсот). 1 and 2 are masculine (один, два): the gender of "участник", the only noun
 *     the flows count. The noun's form follows the number (plural-rules.ts).
 */
import type { PromptId } from './ivr-types.js';
import type { Language } from './language.js';

export interface NumberWord {
  id: PromptId;
  text: string;
}

export interface NumberGrammar {
  /** Every word `say` can return, with what it says: the files this language ships. */
  readonly words: readonly NumberWord[];
  /** The words for n, an integer 0..999 (checked by the caller). */
  say(n: number): PromptId[];
}

export function numberId(value: number): PromptId {
  return `number-${value}`;
}

const EN_ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const IT_ONES = ['zero', 'uno', 'due', 'tre', 'quattro', 'cinque', 'sei', 'sette', 'otto', 'nove', 'dieci', 'undici', 'dodici', 'tredici', 'quattordici', 'quindici', 'sedici', 'diciassette', 'diciotto', 'diciannove'];
const RU_ONES = ['ноль', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять', 'десять', 'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать', 'шестнадцать', 'семнадцать', 'восемнадцать', 'девятнадцать'];
/** Index = tens digit (2..9). */
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const IT_TENS = ['', '', 'venti', 'trenta', 'quaranta', 'cinquanta', 'sessanta', 'settanta', 'ottanta', 'novanta'];
const RU_TENS = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
/** Index = hundreds digit (1..9). */
const IT_HUNDREDS = ['', 'cento', 'duecento', 'trecento', 'quattrocento', 'cinquecento', 'seicento', 'settecento', 'ottocento', 'novecento'];
const RU_HUNDREDS = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];
/** Italian fuses these digits with a ten by eliding the ten's last vowel. */
const IT_ELIDING_DIGITS = [1, 8];
export const HUNDRED_ID = 'number-hundred';

/** 0-19 and the tens, the words every grammar here starts from. */
function onesAndTens(ones: readonly string[], tens: readonly string[]): NumberWord[] {
  const words = ones.map((text, n) => ({ id: numberId(n), text }));
  for (let t = 2; t <= 9; t++) words.push({ id: numberId(t * 10), text: tens[t]! });
  return words;
}

/** 0..99 as ids: a word of its own when the language has one, else ten + digit. */
function belowHundred(n: number, whole: ReadonlySet<number>): PromptId[] {
  if (n < 20 || whole.has(n)) return [numberId(n)];
  const digit = n % 10;
  return digit === 0 ? [numberId(n)] : [numberId(n - digit), numberId(digit)];
}

/** [hundreds] + [rest below a hundred]; `hundreds(h)` says h*100 (h = 1..9). */
function compose(n: number, whole: ReadonlySet<number>, hundreds: (h: number) => PromptId[]): PromptId[] {
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (h === 0) return belowHundred(rest, whole);
  return rest === 0 ? hundreds(h) : [...hundreds(h), ...belowHundred(rest, whole)];
}

function grammar(words: NumberWord[], hundreds: (h: number) => PromptId[]): NumberGrammar {
  const whole = new Set(words.filter((w) => /^number-\d+$/.test(w.id)).map((w) => Number(w.id.slice('number-'.length))));
  return { words, say: (n) => compose(n, whole, hundreds) };
}

const english = grammar([...onesAndTens(EN_ONES, EN_TENS), { id: HUNDRED_ID, text: 'hundred' }], (h) => [numberId(h), HUNDRED_ID]);

const italianWords = onesAndTens(IT_ONES, IT_TENS);
for (let t = 2; t <= 9; t++) {
  for (const d of IT_ELIDING_DIGITS) italianWords.push({ id: numberId(t * 10 + d), text: IT_TENS[t]!.slice(0, -1) + IT_ONES[d]! });
}
for (let h = 1; h <= 9; h++) italianWords.push({ id: numberId(h * 100), text: IT_HUNDREDS[h]! });
const italian = grammar(italianWords, (h) => [numberId(h * 100)]);

const russianWords = onesAndTens(RU_ONES, RU_TENS);
for (let h = 1; h <= 9; h++) russianWords.push({ id: numberId(h * 100), text: RU_HUNDREDS[h]! });
const russian = grammar(russianWords, (h) => [numberId(h * 100)]);

export const NUMBER_GRAMMARS: Readonly<Record<Language, NumberGrammar>> = { en: english, it: italian, ru: russian };
