/**
 * Puts users and devices into a switch's database the way the CLI does (through the
 * Directory and its rules), but in-process, so hundreds of devices take milliseconds.
 */
import { join } from 'node:path';
import { Directory } from '../../src/app/directory/directory.js';
import { openStore } from '../../src/store/store.js';

/** A secret the directory accepts (8+ printable characters, not containing the extension). */
export function secretFor(ext: string): string {
  return `Zk8#${(Number(ext) * 7919).toString(36)}Qw`;
}

export interface ProvisionedUser {
  ext: string;
  name: string;
  devices: string[];
  /** Digest algorithms offered to these devices (null/absent: the configured default). */
  authAlgorithms?: Array<'MD5' | 'SHA-256'>;
  /**
   * The primary device (default: the first listed); null: none. A primary device's extension
   * becomes the user's main extension (the directory's rule), so a user whose main extension
   * differs from all its devices' (user 2000 with devices 2001 and 2002) has none.
   */
  primary?: string | null;
  /** Custom caller ID presented when this user calls. */
  callerId?: string;
}

/** Adds `users`, each with its devices; the first device listed becomes primary unless `primary` says otherwise. */
export function provision(dir: string, users: ProvisionedUser[]): void {
  const store = openStore(join(dir, 'data'));
  try {
    const directory = new Directory(store);
    store.transaction(() => {
      for (const u of users) {
        directory.addUser({ ext: u.ext, name: u.name, ...(u.callerId ? { callerId: u.callerId } : {}) });
        const primary = u.primary === undefined ? u.devices[0] : u.primary;
        u.devices.forEach((ext) =>
          directory.addDevice({ ext, userExt: u.ext, secret: secretFor(ext), primary: ext === primary, ...(u.authAlgorithms ? { authAlgorithms: u.authAlgorithms } : {}) }),
        );
      }
    });
  } finally {
    store.close();
  }
}
