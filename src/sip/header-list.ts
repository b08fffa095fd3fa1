/**
 * An ordered SIP header list (RFC 3261 §7.3). Field names compare case-insensitively and
 * compact forms (§7.3.3, plus the ones later RFCs registered) are expanded on the way in,
 * so `get('v')`, `get('VIA')` and `get('Via')` are the same field. Order is kept because it
 * matters for Via, Route and Record-Route. Serialization writes the canonical spelling.
 *
 * Typed views are cached per field name by `typed()` and dropped when that field changes.
 */

/** RFC 3261 §7.3.3 compact forms and those registered since (RFC 3265, 3515, 3892, 3841, 4028, 4474). */
const COMPACT: Record<string, string> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

/** Spellings that plain Title-Case would get wrong. */
const SPECIAL_CASE: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  rseq: 'RSeq',
  rack: 'RAck',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
  'min-se': 'Min-SE',
};

/** A header name's lower-case key (compact forms expanded) and display spelling. */
export interface CanonicalHeaderName {
  key: string;
  display: string;
}

const canonicalCache = new Map<string, CanonicalHeaderName>();

/** Lower-case key and display spelling of a header name, compact forms expanded. */
export function canonicalHeaderName(name: string): CanonicalHeaderName {
  let hit = canonicalCache.get(name);
  if (hit) return hit;
  const lower = name.toLowerCase();
  const key = COMPACT[lower] ?? lower;
  const display = SPECIAL_CASE[key] ?? key.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
  hit = { key, display };
  // Only short names are cached, so a flood of odd header names cannot grow the cache.
  if (name.length <= 64 && canonicalCache.size < 4096) canonicalCache.set(name, hit);
  return hit;
}

/** Names (and compact forms) that nearly every message carries, by length. */
const COMMON_BY_LENGTH: Array<Array<{ lower: string; name: CanonicalHeaderName }>> = [];
for (const lower of [
  'via', 'from', 'to', 'call-id', 'cseq', 'contact', 'max-forwards', 'content-length', 'content-type', 'expires',
  'authorization', 'proxy-authorization', 'www-authenticate', 'proxy-authenticate', 'user-agent', 'server', 'allow',
  'supported', 'require', 'route', 'record-route', 'accept', 'date', 'event', 'path', 'min-expires', 'p-asserted-identity',
  ...Object.keys(COMPACT),
]) {
  (COMMON_BY_LENGTH[lower.length] ??= []).push({ lower, name: canonicalHeaderName(lower) });
}

/**
 * canonicalHeaderName of `text[start, end)`, a token (RFC 3261 §25.1) the parser found in a
 * message: the common names are recognised in place, without cutting a string out of the
 * message or hashing it; any other name goes through canonicalHeaderName.
 */
export function canonicalHeaderNameIn(text: string, start: number, end: number): CanonicalHeaderName {
  const candidates = COMMON_BY_LENGTH[end - start];
  if (candidates !== undefined) for (const c of candidates) if (tokenEqualsLower(text, start, c.lower)) return c.name;
  return canonicalHeaderName(text.slice(start, end));
}

/**
 * Whether the token at `start` spells `lower` in any case. Among token characters, `| 0x20`
 * folds exactly the letters (digits, "-" and "." are unchanged by it, and no other token
 * character lands on a letter or on "-").
 */
function tokenEqualsLower(text: string, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((text.charCodeAt(start + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

export class HeaderList {
  private keys: string[] = [];
  private names: string[] = [];
  private values: string[] = [];
  /**
   * Typed views as [key, view, key, view, ...]: a message has a dozen at most, which a scan
   * finds faster than a Map's hashing, and a short array costs a fraction of a Map's table.
   */
  private cache: unknown[] | undefined;

  /** Number of header fields (not names). */
  get size(): number {
    return this.keys.length;
  }

  /** First field value of this name, or undefined. */
  get(name: string): string | undefined {
    const key = canonicalHeaderName(name).key;
    const i = this.keys.indexOf(key);
    return i < 0 ? undefined : this.values[i];
  }

  /** Every field value of this name, in order (comma-joined lists are NOT split here). */
  getAll(name: string): string[] {
    const key = canonicalHeaderName(name).key;
    const out: string[] = [];
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] === key) out.push(this.values[i]!);
    return out;
  }

  /** Number of fields of this name (comma-joined lists count as one), without building a list. */
  count(name: string): number {
    const key = canonicalHeaderName(name).key;
    let n = 0;
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] === key) n++;
    return n;
  }

  has(name: string): boolean {
    return this.keys.includes(canonicalHeaderName(name).key);
  }

  append(name: string, value: string): this {
    const c = canonicalHeaderName(name);
    this.keys.push(c.key);
    this.names.push(c.display);
    this.values.push(value);
    this.invalidate(c.key);
    return this;
  }

  /** Append with a name canonicalHeaderName already resolved (the parser's path). */
  appendCanonical(name: CanonicalHeaderName, value: string): this {
    this.keys.push(name.key);
    this.names.push(name.display);
    this.values.push(value);
    this.invalidate(name.key);
    return this;
  }

  /** Insert before every other field of the same name (a new top Via, a new Route). */
  prepend(name: string, value: string): this {
    const c = canonicalHeaderName(name);
    let i = this.keys.indexOf(c.key);
    if (i < 0) i = this.keys.length;
    this.keys.splice(i, 0, c.key);
    this.names.splice(i, 0, c.display);
    this.values.splice(i, 0, value);
    this.invalidate(c.key);
    return this;
  }

  /** Replace every field of this name with the given value(s), at the first one's position. */
  set(name: string, value: string | readonly string[]): this {
    const c = canonicalHeaderName(name);
    const vals = typeof value === 'string' ? [value] : value;
    let at = this.keys.indexOf(c.key);
    this.removeKey(c.key);
    if (at < 0 || at > this.keys.length) at = this.keys.length;
    this.keys.splice(at, 0, ...vals.map(() => c.key));
    this.names.splice(at, 0, ...vals.map(() => c.display));
    this.values.splice(at, 0, ...vals);
    this.invalidate(c.key);
    return this;
  }

  /**
   * Replace the value of the first field of this name in place, keeping its position (the
   * top Via stamped with received/rport, RFC 3261 §18.2.1); false when there is none.
   */
  replaceFirst(name: string, value: string): boolean {
    const key = canonicalHeaderName(name).key;
    const i = this.keys.indexOf(key);
    if (i < 0) return false;
    this.values[i] = value;
    this.invalidate(key);
    return true;
  }

  /** Remove every field of this name; returns how many were removed. */
  remove(name: string): number {
    const key = canonicalHeaderName(name).key;
    const n = this.removeKey(key);
    if (n) this.invalidate(key);
    return n;
  }

  /** Remove only the first field of this name (e.g. the top Via of a response). */
  removeFirst(name: string): boolean {
    const key = canonicalHeaderName(name).key;
    const i = this.keys.indexOf(key);
    if (i < 0) return false;
    this.keys.splice(i, 1);
    this.names.splice(i, 1);
    this.values.splice(i, 1);
    this.invalidate(key);
    return true;
  }

  /**
   * A typed view of one header, parsed from all its field values on first use and cached
   * until that header changes. `parse` may throw (a malformed header); nothing is cached then.
   */
  typed<T>(name: string, parse: (values: string[]) => T): T {
    const key = canonicalHeaderName(name).key;
    const at = this.cachedAt(key);
    if (at >= 0) return this.cache![at + 1] as T;
    const v = parse(this.getAll(key));
    (this.cache ??= []).push(key, v);
    return v;
  }

  /**
   * Store a typed view computed elsewhere (the parser, which already validated the header),
   * so the first `typed()` call does not parse it again.
   */
  prime<T>(name: string, value: T): void {
    const key = canonicalHeaderName(name).key;
    const at = this.cachedAt(key);
    if (at >= 0) this.cache![at + 1] = value;
    else (this.cache ??= []).push(key, value);
  }

  /**
   * Forget every typed view (they are re-parsed on demand). A transaction that keeps a message
   * only to absorb retransmissions for up to 32 s (Timer J) calls this, so the parsed objects
   * die young instead of being promoted and marked by the GC for that whole time.
   */
  releaseTypedViews(): void {
    this.cache = undefined;
  }

  /** Lower-case key (compact forms expanded) of the field at `index` (0 <= index < size). */
  keyAt(index: number): string {
    return this.keys[index]!;
  }

  /** Canonical display name of the field at `index`. */
  nameAt(index: number): string {
    return this.names[index]!;
  }

  /** Value of the field at `index`. */
  valueAt(index: number): string {
    return this.values[index]!;
  }

  /** Appends the field at `index` of `other` (a response copying request fields, RFC 3261 §8.2.6.2). */
  appendFieldOf(other: HeaderList, index: number, value: string = other.values[index]!): this {
    const key = other.keys[index]!;
    this.keys.push(key);
    this.names.push(other.names[index]!);
    this.values.push(value);
    this.invalidate(key);
    return this;
  }

  /** [display name, value] pairs in wire order. */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (let i = 0; i < this.keys.length; i++) yield [this.names[i]!, this.values[i]!];
  }

  clone(): HeaderList {
    const h = new HeaderList();
    h.keys = this.keys.slice();
    h.names = this.names.slice();
    h.values = this.values.slice();
    return h;
  }

  private removeKey(key: string): number {
    let n = 0;
    for (let i = this.keys.length - 1; i >= 0; i--) {
      if (this.keys[i] === key) {
        this.keys.splice(i, 1);
        this.names.splice(i, 1);
        this.values.splice(i, 1);
        n++;
      }
    }
    return n;
  }

  /** Index of `key` in the typed-view cache, or -1. */
  private cachedAt(key: string): number {
    const c = this.cache;
    if (c !== undefined) for (let i = 0; i < c.length; i += 2) if (c[i] === key) return i;
    return -1;
  }

  private invalidate(key: string): void {
    const at = this.cachedAt(key);
    if (at >= 0) this.cache!.splice(at, 2);
  }
}
