/**
 * CLI entry: `main(process.argv)` for bin/softswitch.js, `run(args, io, deps)` for tests.
 * Whatever fails, the operator gets exactly one line on stderr starting with `error: ` and
 * the exit code from cli-error.ts (1 refused, 2 usage).
 */
import { CommanderError } from 'commander';
import { DirectoryError } from '../app/directory/directory.js';
import { startSwitch } from '../app/switch.js';
import { ConfigError } from '../config/config-error.js';
import { createLogger } from '../log/logger.js';
import type { CliContext, CliDeps } from './cli-context.js';
import { CliError, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, UsageError } from './cli-error.js';
import { processIo, type CliIo } from './cli-io.js';
import { waitForProcessStopSignal } from './commands/start-command.js';
import { buildProgram } from './program.js';
import { oneLine } from './softswitch-command.js';

const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.version']);

export function defaultDeps(): CliDeps {
  return { startSwitch, createLogger, waitForStopSignal: waitForProcessStopSignal, now: () => Date.now() };
}

/** Runs one command line (without the node and script arguments); resolves with the exit code. */
export async function run(args: string[], io: CliIo = processIo(), deps: Partial<CliDeps> = {}): Promise<number> {
  const ctx: CliContext = { io, deps: { ...defaultDeps(), ...deps } };
  try {
    await buildProgram(ctx).parseAsync(args, { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    const { code, message } = classify(err);
    if (message !== undefined) {
      io.stderr(`error: ${message}\n`);
      if (io.env.SOFTSWITCH_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    }
    return code;
  }
}

export async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  const code = await run(args);
  // After `start`, exit even if something the switch forgot to close would keep the loop alive.
  if (args[0] === 'start') process.exit(code);
  process.exitCode = code;
}

function classify(err: unknown): { code: number; message?: string } {
  if (err instanceof CommanderError) {
    if (COMMANDER_SUCCESS.has(err.code)) return { code: EXIT_OK };
    return { code: EXIT_USAGE, message: oneLine(err.message) };
  }
  if (err instanceof UsageError) return { code: EXIT_USAGE, message: err.message };
  if (err instanceof DirectoryError || err instanceof ConfigError || err instanceof CliError) return { code: EXIT_REFUSED, message: err.message };
  const sqliteCode = (err as { code?: unknown } | null)?.code;
  if (sqliteCode === 'SQLITE_BUSY') {
    return { code: EXIT_REFUSED, message: 'the database stayed locked by another process for 5 s; try again' };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { code: EXIT_REFUSED, message: text.split('\n')[0] };
}
