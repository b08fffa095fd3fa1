/**
 * The formats of the room values an operator types, checked before anything is stored. Each
 * function returns the stored form or throws a DirectoryError('invalid') whose message says
 * what is wrong. PINs are never echoed back: an error line may end up in a log.
 */
import type { RoomLanguage } from '../../store/store.js';
import { invalid } from '../directory/directory-error.js';
import { parseExtension } from '../directory/field-rules.js';

export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 12;
export const MAX_PARTICIPANTS_MIN = 2;
export const MAX_PARTICIPANTS_MAX = 10_000;
export const ROOM_LANGUAGES: readonly RoomLanguage[] = ['en', 'it', 'ru'];

/** Room numbers live in the one numbering plan: the same 2 to 10 digits as extensions. */
export function parseRoomNumber(value: string, what = 'room number'): string {
  return parseExtension(value, what);
}

/**
 * A user or admin PIN: 4 to 12 digits, entered on a keypad as DTMF (RFC 4733 §3.2 events
 * 0-9); `*` and `#` are not allowed because the IVR uses them as terminators.
 */
export function parsePin(value: string, what: 'PIN' | 'admin PIN'): string {
  if (!/^[0-9]*$/.test(value)) throw invalid(`${what} must be digits only (0-9)`);
  if (value.length < PIN_MIN_DIGITS || value.length > PIN_MAX_DIGITS) {
    throw invalid(`${what} must be ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits, got ${value.length}`);
  }
  return value;
}

/** `en`, `it` or `ru`, any case; stored lower-case. */
export function parseLanguage(value: string): RoomLanguage {
  const language = ROOM_LANGUAGES.find((l) => l === value.trim().toLowerCase());
  if (language === undefined) throw invalid(`language must be one of ${ROOM_LANGUAGES.join(', ')}, got ${quote(value)}`);
  return language;
}

/** A whole number of participants from 2 to 10000 (as typed, or already a number). */
export function parseMaxParticipants(value: string | number): number {
  const n = typeof value === 'number' ? value : /^[0-9]{1,9}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < MAX_PARTICIPANTS_MIN || n > MAX_PARTICIPANTS_MAX) {
    throw invalid(`max participants must be a whole number from ${MAX_PARTICIPANTS_MIN} to ${MAX_PARTICIPANTS_MAX}, got ${quote(String(value))}`);
  }
  return n;
}

function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}
