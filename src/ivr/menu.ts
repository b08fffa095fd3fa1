/**
 * A menu: one key picks a branch ("press 1 to ..., 2 to ..."). It is CollectDigits with one key,
 * no terminator, and a key outside the menu counting as an invalid entry; the result's `digits`
 * is the key, which an IvrFlow maps to the next step.
 */
import { CollectDigits, type FailureAction } from './collect-digits.js';
import { checkKeySet } from './dtmf-keys.js';
import type { PromptId } from './ivr-types.js';

export interface MenuSpec {
  prompts: PromptId[];
  /** The keys that choose something, e.g. '12*'. */
  keys: string;
  /** How long to wait for a key once the prompts have ended. */
  timeoutMs: number;
  maxAttempts: number;
  retryPrompts?: PromptId[];
  /** Played after a key that is not in `keys` (e.g. 'ivr-invalid-choice'). */
  invalidPrompts?: PromptId[];
  noInputPrompts?: PromptId[];
  finalPrompts?: PromptId[];
  onFailure: FailureAction;
  /** Default true. */
  bargeIn?: boolean;
}

export function menu(spec: MenuSpec): CollectDigits {
  if (spec.keys.length === 0) throw new RangeError('menu: keys must not be empty');
  checkKeySet(spec.keys, 'menu keys');
  const { keys, timeoutMs, ...rest } = spec;
  return new CollectDigits({
    ...rest,
    terminators: '',
    maxDigits: 1,
    firstDigitTimeoutMs: timeoutMs,
    interDigitTimeoutMs: timeoutMs,
    validate: (key) => (keys.includes(key) ? 'ok' : 'invalid'),
  });
}
