/**
 * Splitting a list header's field value into its elements (RFC 3261 §7.3.1: a field whose
 * grammar is a comma-separated list may be written as several fields or as one). Commas
 * inside quoted strings and <...> do not split. Only list headers go through here:
 * Authorization, WWW-Authenticate and friends, Date and others are never split.
 */

/** Elements of a comma-separated field value, trimmed; empty elements are dropped. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (quoted) {
      if (c === 92) i++;
      else if (c === 34) quoted = false;
    } else if (c === 34) quoted = true;
    else if (c === 60) angle = true;
    else if (c === 62) angle = false;
    else if (c === 44 && !angle) {
      push(out, value, start, i);
      start = i + 1;
    }
  }
  push(out, value, start, value.length);
  return out;
}

function push(out: string[], value: string, a: number, b: number): void {
  const s = value.slice(a, b).trim();
  if (s !== '') out.push(s);
}

/** splitList over every field of a header. */
export function splitAll(values: string[]): string[] {
  if (values.length === 1) return splitList(values[0]!);
  const out: string[] = [];
  for (const v of values) for (const e of splitList(v)) out.push(e);
  return out;
}
