/**
 * The real SIP peers and audio tools the interop tests drive. On a fresh Debian machine the
 * test command installs them (as root, through apt-get) so `npm test` alone sets everything
 * up; elsewhere it says in one line what to install.
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** Debian package for each program the interop tests run. */
export const PEERS: Record<string, string> = {
  sipp: 'sip-tester',
  baresip: 'baresip',
  linphonec: 'linphone-cli',
  sox: 'sox',
};
const EXTRA_PACKAGES = ['libsox-fmt-all'];

function has(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

export function missingPeers(): string[] {
  return Object.keys(PEERS).filter((p) => !has(p));
}

/** Installs missing peers when possible; returns a one-line problem when they are still missing. */
export function ensurePeers(log: (line: string) => void): string | undefined {
  const missing = missingPeers();
  if (!missing.length) return undefined;
  const packages = [...new Set([...missing.map((p) => PEERS[p]!), ...EXTRA_PACKAGES])];
  const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (process.getuid?.() === 0 && has('apt-get')) {
    log(`interop peers missing (${missing.join(', ')}): running apt-get update && ${command}`);
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
      execFileSync('sh', ['-c', `${command} >/dev/null`], { stdio: 'inherit', env });
    } catch (err) {
      return `could not install ${packages.join(' ')}: ${(err as Error).message.split('\n')[0]}`;
    }
    const still = missingPeers();
    return still.length ? `still missing after install: ${still.join(', ')}` : undefined;
  }
  return `interop tests need ${missing.join(', ')}: run \`sudo ${command}\``;
}
