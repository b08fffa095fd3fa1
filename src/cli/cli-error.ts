/**
 * Exit codes of the CLI, one rule for every command:
 *   0  done
 *   1  refused: invalid value, unknown user or device, conflict, bad configuration, runtime failure
 *   2  usage: unknown command or option, missing argument, nothing to do
 * Every failure prints exactly one line to stderr, starting with `error: `.
 */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

/** The command line itself is wrong (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the CLI detected itself, already phrased for the operator (exit 1). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
