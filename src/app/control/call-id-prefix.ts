/**
 * Call ids as an operator types them: the full id or any unique prefix (as git does with
 * commits), and the shortest prefixes that tell a set of ids apart, for display.
 */

export type CallIdMatch = { kind: 'one'; id: string } | { kind: 'none' } | { kind: 'ambiguous'; ids: string[] };

/** Case-insensitive; an exact id wins even when it is also the prefix of another. */
export function matchCallId(input: string, ids: readonly string[]): CallIdMatch {
  const wanted = input.trim().toLowerCase();
  if (wanted === '') return { kind: 'none' };
  const exact = ids.find((id) => id.toLowerCase() === wanted);
  if (exact !== undefined) return { kind: 'one', id: exact };
  const found = ids.filter((id) => id.toLowerCase().startsWith(wanted));
  if (found.length === 1) return { kind: 'one', id: found[0]! };
  return found.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', ids: found };
}

/** For each id, its shortest prefix of at least `min` characters that no other id shares. */
export function shortIds(ids: readonly string[], min = 8): Map<string, string> {
  // In sorted order the id sharing the longest prefix with an id is one of its neighbours.
  const sorted = [...new Set(ids)].sort();
  const out = new Map<string, string>();
  sorted.forEach((id, i) => {
    const shared = Math.max(commonPrefixLength(id, sorted[i - 1] ?? ''), commonPrefixLength(id, sorted[i + 1] ?? ''));
    out.set(id, id.slice(0, Math.min(id.length, Math.max(min, shared + 1))));
  });
  return out;
}

function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
