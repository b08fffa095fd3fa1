/**
 * Caches for the two halves of a Digest response that repeat from request to request
 * (RFC 7616 §3.4.2-§3.4.3), so that verifying a REGISTER costs one hash instead of three:
 *
 * - H(A1) per username, kept only while the looked-up secret is unchanged (a secret changed by
 *   the operator is seen on the very next request). Only known usernames are cached, so a
 *   client cannot grow it; an unknown username is verified against a random per-process
 *   H(A1) that never matches, which costs the same as a cache hit (no enumeration by timing).
 * - H(A2) = H(method ":" uri): the same few Request-URIs over and over.
 *
 * Both are bounded: when full they are emptied and refilled (cheap, rare).
 */
import { randomBytes } from 'node:crypto';
import { digestHa1, digestHa2 } from './digest-algorithm.js';

type HashName = 'md5' | 'sha256';

interface Ha1Entry {
  secret: string;
  md5?: string;
  sha256?: string;
}

export class DigestHashCache {
  private readonly ha1s = new Map<string, Ha1Entry>();
  private readonly ha2s = new Map<string, string>();
  private readonly dummy: Record<HashName, string> = {
    md5: randomBytes(16).toString('hex'),
    sha256: randomBytes(32).toString('hex'),
  };

  constructor(
    private readonly realm: string,
    private readonly maxUsers = 20_000,
    private readonly maxUris = 256,
  ) {}

  /** H(A1) of a known user with this secret, or the never-matching dummy when `secret` is undefined. */
  ha1(hash: HashName, username: string, secret: string | undefined): string {
    if (secret === undefined) return this.dummy[hash];
    let e = this.ha1s.get(username);
    if (e === undefined || e.secret !== secret) {
      if (this.ha1s.size >= this.maxUsers) this.ha1s.clear();
      e = { secret };
      this.ha1s.set(username, e);
    }
    return (e[hash] ??= digestHa1(hash, username, this.realm, secret));
  }

  ha2(hash: HashName, method: string, uri: string): string {
    const key = `${hash} ${method} ${uri}`;
    let v = this.ha2s.get(key);
    if (v === undefined) {
      if (this.ha2s.size >= this.maxUris) this.ha2s.clear();
      v = digestHa2(hash, method, uri);
      this.ha2s.set(key, v);
    }
    return v;
  }
}
