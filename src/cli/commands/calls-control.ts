/**
 * Talking to the running switch for `calls` and `hangup`: finds the control socket of the
 * configured data directory, connects, and turns every way it can fail (not running, stale
 * socket, no answer, an error answer) into one `error:` line (exit 1).
 */
import {
  ControlCallError,
  ControlClient,
  ControlClosedError,
  ControlConnectError,
  ControlTimeoutError,
} from '../../app/control/control-client.js';
import { controlSocketPath } from '../../app/control/control-protocol.js';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../cli-context.js';
import { loadCliConfig } from '../config-location.js';

const CONTROL_FAILURES = [ControlConnectError, ControlCallError, ControlTimeoutError, ControlClosedError];

export async function withSwitch<T>(configOption: string | undefined, ctx: CliContext, fn: (client: ControlClient) => Promise<T>): Promise<T> {
  const config = loadCliConfig(configOption, ctx.io);
  let client: ControlClient | undefined;
  try {
    client = await ControlClient.connect(controlSocketPath(config.data));
    return await fn(client);
  } catch (err) {
    if (CONTROL_FAILURES.some((kind) => err instanceof kind)) throw new CliError((err as Error).message);
    throw err;
  } finally {
    client?.close();
  }
}

/** An answer that is not what the method promises: a version mismatch, said in one line. */
export function unexpectedAnswer(method: string): CliError {
  return new CliError(`the switch sent an unexpected answer to ${method}`);
}
