/**
 * Prompt sequences that say numbers: a count ("twenty-one"), a string of digits read one by one
 * (a conference number, "eight zero zero one"), and the participant count sentence with the noun
 * in the form the number asks for (Russian: 1 участник, 2 участника, 5 участников).
 */
import type { PromptId } from './ivr-types.js';
import type { Language } from './language.js';
import { NUMBER_GRAMMARS, numberId } from './number-words.js';
import { pluralCategory } from './plural-rules.js';

/**
 * `n` in words, in `language`: 0..999 by the language's number grammar (number-words.ts), larger
 * whole numbers digit by digit (the flows count the participants of a room, far below that).
 * Negative or fractional numbers throw a RangeError.
 */
export function sayNumber(n: number, language: Language): PromptId[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`sayNumber: ${n} is not a whole number`);
  return n <= 999 ? NUMBER_GRAMMARS[language].say(n) : sayDigits(String(n));
}

/** Each digit of `digits` ('0'-'9' only) as its own word; the same ids in every language. */
export function sayDigits(digits: string): PromptId[] {
  if (!/^[0-9]*$/.test(digits)) throw new RangeError(`sayDigits: ${JSON.stringify(digits)} has a character that is not 0-9`);
  return [...digits].map((d) => numberId(Number(d)));
}

/**
 * "There are <n> participants", the noun agreeing with n (CLDR category: one, few, many/other).
 * One participant is a phrase of its own in every language: Italian says "un partecipante", not "uno".
 */
export function sayParticipantCount(n: number, language: Language): PromptId[] {
  if (n === 1) return ['conf-one-participant'];
  const category = pluralCategory(n, language);
  const noun = category === 'one' ? 'noun-participant-one' : category === 'few' ? 'noun-participant-few' : 'noun-participant-many';
  return ['conf-there-are', ...sayNumber(n, language), noun];
}
