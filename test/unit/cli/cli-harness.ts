// Runs the CLI in-process against a temporary data directory (not a test file itself).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliDeps } from '../../../src/cli/cli-context.js';
import { run } from '../../../src/cli/main.js';
import { openStore, type Store } from '../../../src/store/store.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const NOW = 1_700_000_000_000;

export class CliHarness {
  readonly root = mkdtempSync(join(tmpdir(), 'softswitch-cli-'));
  readonly configFile = join(this.root, 'config.yaml');
  stdin = '';
  env: Record<string, string | undefined> = {};
  deps: Partial<CliDeps> = { now: () => NOW };

  constructor(configText = 'data: ./data\n') {
    writeFileSync(this.configFile, configText);
  }

  get dataDir(): string {
    return join(this.root, 'data');
  }

  /** Runs `softswitch <args> --config <tmp>/config.yaml`. */
  cli(...args: string[]): Promise<CliResult> {
    return this.raw(...args, '--config', this.configFile);
  }

  /** Runs `softswitch <args>` exactly as given, from the temporary directory. */
  async raw(...args: string[]): Promise<CliResult> {
    let stdout = '';
    let stderr = '';
    const code = await run(
      args,
      {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        readStdin: async () => this.stdin,
        env: this.env,
        cwd: this.root,
        stdoutIsTTY: false,
      },
      this.deps,
    );
    return { code, stdout, stderr };
  }

  /** The database as another process (the running switch) sees it. */
  openStore(): Store {
    return openStore(this.dataDir);
  }
}
