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
}

/** Adds `users`, each with its devices; the first device listed becomes primary. */
export function provision(dir: string, users: ProvisionedUser[]): void {
  const store = openStore(join(dir, 'data'));
  try {
    const directory = new Directory(store);
    store.transaction(() => {
      for (const u of users) {
        directory.addUser({ ext: u.ext, name: u.name });
        u.devices.forEach((ext, i) =>
          directory.addDevice({ ext, userExt: u.ext, secret: secretFor(ext), primary: i === 0, ...(u.authAlgorithms ? { authAlgorithms: u.authAlgorithms } : {}) }),
        );
      }
    });
  } finally {
    store.close();
  }
}
