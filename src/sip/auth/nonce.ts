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
import * as crypto from 'node:crypto';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const TIME_BYTES = 6;
const SEQ_BYTES = 4;
const MAC_BYTES = 12;
const SIGNED = TIME_BYTES + SEQ_BYTES;
const NONCE_BYTES = SIGNED + MAC_BYTES;
/** base64url length of NONCE_BYTES bytes (22 bytes -> 30 characters). */
export const NONCE_LENGTH = Math.ceil((NONCE_BYTES * 4) / 3);

/** SHA-256 block size: HMAC pads the key to it (RFC 2104 §2). */
const BLOCK = 64;
const oneShot = (crypto as { hash?: (alg: string, data: Buffer, enc: 'buffer') => Buffer }).hash;

export class NonceIssuer {
  private readonly key: Buffer;
  private sequence: number;
  /** (K xor ipad) || message, and (K xor opad) || inner hash: HMAC-SHA-256 by two one-shot hashes. */
  private readonly inner = Buffer.alloc(BLOCK + SIGNED);
  private readonly outer = Buffer.alloc(BLOCK + 32);

  constructor(key: Buffer = randomBytes(32)) {
    if (key.length < 16) throw new RangeError('nonce key must be at least 16 bytes');
    this.key = key;
    this.sequence = randomBytes(4).readUInt32BE(0);
    const k = key.length > BLOCK ? crypto.createHash('sha256').update(key).digest() : key;
    for (let i = 0; i < BLOCK; i++) {
      const b = i < k.length ? k[i]! : 0;
      this.inner[i] = b ^ 0x36;
      this.outer[i] = b ^ 0x5c;
    }
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

  /** HMAC-SHA-256 (RFC 2104) of the signed part of `buf`. */
  mac(buf: Buffer): Buffer {
    if (!oneShot) return createHmac('sha256', this.key).update(buf.subarray(0, SIGNED)).digest();
    buf.copy(this.inner, BLOCK, 0, SIGNED);
    oneShot('sha256', this.inner, 'buffer').copy(this.outer, BLOCK);
    return oneShot('sha256', this.outer, 'buffer');
  }
}
