/**
 * Branch parameters for the Vias this element adds (RFC 3261 §8.1.1.7): the magic cookie,
 * then a per-instance random prefix and a counter, so a branch is unique across space
 * (the random prefix) and time (the counter) without a random draw per request.
 */
import { randomBytes } from 'node:crypto';
import { MAGIC_COOKIE } from '../headers/via.js';

export class BranchGenerator {
  private readonly prefix = MAGIC_COOKIE + randomBytes(9).toString('base64url');
  private counter = 0;

  next(): string {
    return this.prefix + (this.counter++).toString(36);
  }
}
