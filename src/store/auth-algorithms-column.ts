/**
 * The `devices.auth_algorithms` column: the Digest algorithms offered to one device, written
 * as their names joined by commas in challenge order (`MD5`, `SHA-256,MD5`), NULL for the
 * configured default. Checked on write; read on the REGISTER hot path, so the few distinct
 * texts are parsed once and each read returns a fresh copy of the parsed list.
 */
import type { AuthAlgorithm } from './records.js';

const KNOWN: ReadonlySet<string> = new Set<AuthAlgorithm>(['MD5', 'SHA-256']);

/** The column text of a list; throws on an empty list, an unknown name or a duplicate. */
export function encodeAuthAlgorithms(list: readonly AuthAlgorithm[] | null): string | null {
  if (list === null) return null;
  checked(list, () => JSON.stringify(list));
  return list.join(',');
}

const parsed = new Map<string, readonly AuthAlgorithm[]>();

/** The list a column text stands for; throws when the text was not written by `encodeAuthAlgorithms`. */
export function decodeAuthAlgorithms(text: string | null): AuthAlgorithm[] | null {
  if (text === null) return null;
  let list = parsed.get(text);
  if (list === undefined) {
    list = checked(text.split(','), () => JSON.stringify(text));
    // Only valid texts get here, and there are few of them (orderings of the known names).
    parsed.set(text, list);
  }
  return list.slice();
}

function checked(list: readonly string[], shown: () => string): readonly AuthAlgorithm[] {
  const ok = list.length > 0 && list.every((a) => KNOWN.has(a)) && new Set(list).size === list.length;
  if (!ok) throw new Error(`invalid auth_algorithms ${shown()}: expected distinct names out of MD5, SHA-256`);
  return list as readonly AuthAlgorithm[];
}
