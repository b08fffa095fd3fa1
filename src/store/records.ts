/** What the store returns for users and devices: plain rows, absent values as `null`. */

/** A Digest algorithm a device can be challenged with (RFC 8760 §2.1; the -sess variants follow their base). */
export type AuthAlgorithm = 'MD5' | 'SHA-256';

export interface UserRecord {
  id: number;
  /** Main extension: the number others dial to reach the user. */
  ext: string;
  name: string;
  /** Number presented instead of the main extension ("CLI custom"). */
  callerId: string | null;
  /** Mobile number for GSM fallback. */
  mobile: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface DeviceRecord {
  id: number;
  userId: number;
  /** SIP extension (the digest username and address-of-record). */
  ext: string;
  secret: string;
  model: string | null;
  /** Lower-case, colon separated: `aa:bb:cc:dd:ee:ff`. */
  mac: string | null;
  enabled: boolean;
  primary: boolean;
  /**
   * Digest algorithms offered to this device, one challenge each, in this order; `null` = the
   * configured default (`auth.algorithms`). For phones that give up as soon as any challenge
   * names SHA-256 (libre before 2024, older pjsip).
   */
  authAlgorithms: AuthAlgorithm[] | null;
  createdAt: number;
  updatedAt: number;
}

/** What the registrar needs to challenge a REGISTER: one prepared `get` per request. */
export interface DeviceAuth {
  ext: string;
  secret: string;
  enabled: boolean;
  userId: number;
  /** The owning user's main extension. */
  userExt: string;
  /** See DeviceRecord.authAlgorithms; `null` = the configured default. */
  authAlgorithms: AuthAlgorithm[] | null;
}
