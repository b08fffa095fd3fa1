/** The version in package.json, for `softswitch --version` and the default User-Agent. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
  // Compiled to dist/src/config/: package.json is three levels up.
  cached ??= (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
