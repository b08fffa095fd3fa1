/**
 * Stateless, unforgeable server nonces (RFC 7616 §3.3, §5.4; RFC 3261 §22.4).
 *
 *    0                   6         10                      22 bytes
 *   +-------------------+---------+-------------------------+
 *   | issued at (ms,    | sequence| HMAC-SHA-256(key, bytes |
 *   | 48-bit big-endian)| (32-bit)| 0..9), first 12 bytes   |
 *   +-------------------+---------+-------------------------+
 *            sent as 30 characters of base64url (no padding)
 *
 * Nothing is stored per challenge: a nonce proves by its MAC that this process issued it and
 * when. The sequence number makes every nonce unique, so nonce-count tracking (nonce-count.ts)
 * never mixes two clients that were challenged in the same millisecond.
 *
 * The key is random per process unless one is given. After a restart every outstanding nonce
 * fails its MAC; the authenticator then answers a correct response with stale=true, so phones
 * re-authenticate without a failure being counted and without re-prompting (RFC 7616 §3.3).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const TIME_BYTES = 6;
const SEQ_BYTES = 4;
const MAC_BYTES = 12;
const SIGNED = TIME_BYTES + SEQ_BYTES;
const NONCE_BYTES = SIGNED + MAC_BYTES;
/** base64url length of NONCE_BYTES bytes (22 bytes -> 30 characters). */
export const NONCE_LENGTH = Math.ceil((NONCE_BYTES * 4) / 3);

export class NonceIssuer {
  private readonly key: Buffer;
  private sequence: number;

  constructor(key: Buffer = randomBytes(32)) {
    if (key.length < 16) throw new RangeError('nonce key must be at least 16 bytes');
    this.key = key;
    this.sequence = randomBytes(4).readUInt32BE(0);
  }

  /** A fresh nonce stamped with `now` (epoch ms). */
  issue(now: number): string {
    const buf = Buffer.allocUnsafe(NONCE_BYTES);
    buf.writeUIntBE(Math.max(0, Math.floor(now)), 0, TIME_BYTES);
    buf.writeUInt32BE(this.sequence, TIME_BYTES);
    this.sequence = (this.sequence + 1) >>> 0;
    this.mac(buf).copy(buf, SIGNED, 0, MAC_BYTES);
    return buf.toString('base64url');
  }

  /**
   * When `nonce` was issued (epoch ms) if this issuer made it, else undefined. Only the
   * canonical spelling is accepted: base64url decoding ignores stray characters, and a
   * second spelling of one nonce would get its own nonce-count record (a replay path).
   */
  issuedAt(nonce: string): number | undefined {
    if (nonce.length !== NONCE_LENGTH) return undefined;
    const buf = Buffer.from(nonce, 'base64url');
    if (buf.length !== NONCE_BYTES || buf.toString('base64url') !== nonce) return undefined;
    const mac = this.mac(buf);
    if (!timingSafeEqual(mac.subarray(0, MAC_BYTES), buf.subarray(SIGNED))) return undefined;
    return buf.readUIntBE(0, TIME_BYTES);
  }

  private mac(buf: Buffer): Buffer {
    return createHmac('sha256', this.key).update(buf.subarray(0, SIGNED)).digest();
  }
}
