/** Options every command has: `--config FILE`, and `--json` where a command prints data. */
import type { Command } from 'commander';

export interface CommonOptions {
  config?: string;
  json?: boolean;
}

export function commonOptions(cmd: Command, opts: { json?: boolean } = {}): Command {
  cmd.option('-c, --config <file>', 'configuration file (default: $SOFTSWITCH_CONFIG, else ./config.yaml if present)');
  if (opts.json) cmd.option('--json', 'print JSON (field names in docs/cli.md)');
  return cmd;
}
