/**
 * One numbering plan: extensions are unique across everything that owns numbers (users'
 * main extensions, devices, and later conference rooms), with one exception: a user's main
 * extension may equal the extension of one of that user's OWN devices ("user 1001, desk
 * phone 1001").
 *
 * The plan does not know the tables: each owner of numbers answers "who holds this number?".
 * Rooms plug in by adding one NumberOwner to the list given to `Numbering`.
 */
import { DirectoryError } from './directory-error.js';

/** Something that holds a number. */
export interface NumberClaim {
  /** 'user' = a user's main extension; 'device'; later 'room'. */
  kind: string;
  /** Row id within its kind. */
  id: number;
  /** The user this number belongs to, when it belongs to one. */
  userId?: number;
  /** For messages: "user Alice", "device of Alice", "room Sales". */
  description: string;
}

export interface NumberOwner {
  claimsOn(number: string): NumberClaim[];
}

/**
 * What a number is wanted for: `{ kind: 'user', id }` for a main extension (id absent for a
 * new user), `{ kind: 'device', id, userId }` for a device. The holder itself and the
 * user/own-device pairing do not conflict.
 */
export interface NumberUse {
  kind: string;
  id?: number;
  userId?: number;
}

export class Numbering {
  constructor(private readonly owners: readonly NumberOwner[]) {}

  /** Everyone who holds `number` today. */
  claims(number: string): NumberClaim[] {
    return this.owners.flatMap((owner) => owner.claimsOn(number));
  }

  /** Throws DirectoryError('conflict') naming the holder when `number` is not free for `use`. */
  assertAvailable(number: string, use: NumberUse): void {
    const blocking = this.claims(number).find((claim) => !compatible(claim, use));
    if (blocking) throw new DirectoryError('conflict', `extension ${number} is already used by ${blocking.description}`);
  }
}

function compatible(claim: NumberClaim, use: NumberUse): boolean {
  if (claim.kind === use.kind && use.id !== undefined && claim.id === use.id) return true; // itself
  const userAndOwnDevice =
    (claim.kind === 'user' && use.kind === 'device' && claim.id === use.userId) ||
    (claim.kind === 'device' && use.kind === 'user' && use.id !== undefined && claim.userId === use.id);
  return userAndOwnDevice;
}
