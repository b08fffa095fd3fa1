/**
 * Device credentials for digest authentication, read from SQLite once and then served from
 * memory. A read costs several microseconds on the REGISTER hot path; the cache is dropped
 * whenever another process (the CLI) commits to the database, which the registration
 * service notices through SQLite's data_version within one tick (100 ms), so an operator's
 * change (new secret, disabled device) still applies without a restart.
 *
 * Unknown usernames are cached too (as misses), so a scan of random names does not turn into
 * one query per request; the cache is simply emptied when it reaches `maxEntries`.
 */
import type { DeviceAuth } from '../../store/store.js';

export class CredentialCache {
  private readonly entries = new Map<string, DeviceAuth | null>();

  constructor(
    private readonly load: (ext: string) => DeviceAuth | undefined,
    private readonly maxEntries = 100_000,
  ) {}

  get(ext: string): DeviceAuth | undefined {
    let hit = this.entries.get(ext);
    if (hit === undefined) {
      hit = this.load(ext) ?? null;
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(ext, hit);
    }
    return hit ?? undefined;
  }

  clear(): void {
    this.entries.clear();
  }
}
