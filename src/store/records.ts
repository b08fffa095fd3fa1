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

export type RoomKind = 'public' | 'private';

/** Languages the shipped prompts exist in (issue 5, "IVR engine"). */
export type RoomLanguage = 'en' | 'it' | 'ru';

/** A conference room as configured (migration 4). What happens in it live is the conference service's. */
export interface RoomRecord {
  id: number;
  /** The number dialled to reach it; inside a conference range, never an extension of anyone else. */
  number: string;
  name: string;
  kind: RoomKind;
  /** Private rooms: the owning user (its administrator, who enters without a PIN); public: `null`. */
  ownerUserId: number | null;
  /** User PIN, 4-12 digits; `null` = none. */
  pin: string | null;
  /** Public rooms only: entering it joins as administrator; `null` = none. */
  adminPin: string | null;
  /** Prompt language; `null` = the system's (`ivr.language`). */
  language: RoomLanguage | null;
  /** `null` = no limit. */
  maxParticipants: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Numbers `from`..`to` reserved for conference rooms: digit strings of one length, `from <= to`. */
export interface ConferenceRange {
  from: string;
  to: string;
}
