/**
 * CLDR plural categories for whole numbers (Unicode CLDR, Language Plural Rules; the `i` operand,
 * v = 0), which pick the form of a counted noun:
 *   en, it: one (n = 1), other.
 *   ru:     one  (n % 10 = 1 and n % 100 != 11)            - 1, 21, 101: участник
 *           few  (n % 10 = 2..4 and n % 100 != 12..14)     - 2, 23, 104: участника
 *           many (everything else)                         - 0, 5, 11, 12, 25: участников
 */
import type { Language } from './language.js';

export type PluralCategory = 'one' | 'few' | 'many' | 'other';

export function pluralCategory(n: number, language: Language): PluralCategory {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`pluralCategory: ${n} is not a whole number`);
  if (language !== 'ru') return n === 1 ? 'one' : 'other';
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return 'one';
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 'few';
  return 'many';
}
